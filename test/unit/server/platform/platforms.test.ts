import { describe, expect, it } from 'vitest';
import { HomemailError, exitCodeFor } from '../../../../shared/errors.js';
import { ed25519Support } from '../../../../shared/opendkimEd25519.js';
import { parseGather } from '../../../../main/server/engine/state.js';
import { parseOsRelease } from '../../../../main/server/platform/osRelease.js';
import { KEY_DIR } from '../../../../main/server/platform/paths.js';
import { PLATFORMS, findPlatform, platformFor } from '../../../../main/server/platform/platforms.js';

// os-release files as each release ships them (base-files / ubuntu's base-files), trimmed to the keys read.
const OS_RELEASE = {
  bullseye: 'PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"\nNAME="Debian GNU/Linux"\nVERSION_ID="11"\nVERSION_CODENAME=bullseye\nID=debian\n',
  bookworm: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n',
  trixie: 'PRETTY_NAME="Debian GNU/Linux 13 (trixie)"\nNAME="Debian GNU/Linux"\nVERSION_ID="13"\nVERSION_CODENAME=trixie\nID=debian\n',
  jammy: 'PRETTY_NAME="Ubuntu 22.04.5 LTS"\nNAME="Ubuntu"\nVERSION_ID="22.04"\nVERSION_CODENAME=jammy\nID=ubuntu\nID_LIKE=debian\n',
  noble: 'PRETTY_NAME="Ubuntu 24.04.1 LTS"\nNAME="Ubuntu"\nVERSION_ID="24.04"\nVERSION_CODENAME=noble\nID=ubuntu\nID_LIKE=debian\n',
  alma: 'NAME="AlmaLinux"\nVERSION_ID="9.4"\nID="almalinux"\nID_LIKE="rhel centos fedora"\nPRETTY_NAME="AlmaLinux 9.4 (Seafoam Ocelot)"\n',
};

describe('the platform table', () => {
  it('picks the row from /etc/os-release for each supported release', () => {
    const id = (text: string) => platformFor(parseOsRelease(text)).id;
    expect(id(OS_RELEASE.bullseye)).toBe('debian-11');
    expect(id(OS_RELEASE.bookworm)).toBe('debian-12');
    expect(id(OS_RELEASE.trixie)).toBe('debian-13');
    expect(id(OS_RELEASE.jammy)).toBe('ubuntu-22.04');
    expect(id(OS_RELEASE.noble)).toBe('ubuntu-24.04');
  });

  it('refuses an unknown system with exit 2, naming what it found and what is supported', () => {
    let error: unknown;
    try {
      platformFor(parseOsRelease(OS_RELEASE.alma));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HomemailError);
    const e = error as HomemailError;
    expect(exitCodeFor(e.code)).toBe(2);
    expect(e.message).toContain('AlmaLinux 9.4 (Seafoam Ocelot)');
    expect(e.message).toContain('ID=almalinux, VERSION_ID=9.4');
    expect(e.hint).toContain('Ubuntu 24.04 LTS (noble)');
    expect(findPlatform({ id: 'debian', versionId: '10' })).toBeNull();
    expect(() => platformFor(parseOsRelease(''))).toThrow(/no \/etc\/os-release/);
  });

  it('refuses it when the state is read, before any plan is computed', () => {
    const gather = (os: string) => `HOMEMAIL-GATHER 1\nos-release ${Buffer.from(os).toString('base64')}\nend\n`;
    expect(parseGather(gather(OS_RELEASE.trixie)).platform.id).toBe('debian-13');
    expect(() => parseGather(gather(OS_RELEASE.alma))).toThrow(/does not support this server's system: AlmaLinux/);
  });

  it('installs and takes back packages with apt-get on every row, without questions or Recommends', () => {
    for (const p of PLATFORMS) {
      const { install, purge, remove } = p.packageCommands;
      expect(install).toEqual(['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-q', '--no-install-recommends']);
      expect(purge).toEqual(['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'purge', '-y', '-q']);
      expect(remove).toEqual(['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'remove', '-y', '-q']);
      // the package names follow the prefix: none may end in an option that takes a value
      for (const argv of [install, purge, remove]) expect(argv.at(-1)).toMatch(/^(-y|-q|--no-install-recommends)$/);
    }
  });

  it('has OpenDKIM in universe on Ubuntu and main on Debian, and no release that signs Ed25519 beside RSA', () => {
    expect(PLATFORMS.filter((p) => p.packages.opendkimSection === 'universe').map((p) => p.osId)).toEqual(['ubuntu', 'ubuntu']);
    for (const p of PLATFORMS) {
      // the row agrees with the rule the engine applies to the real package version
      expect(ed25519Support({ filterVersionText: '', packageVersion: p.packages.opendkimVersion }).besideRsa).toBe(p.opendkim.ed25519BesideRsa);
      // paths read before the row is known (the gather list) are the family's
      expect(p.opendkim.keyDirectory).toBe(KEY_DIR);
      expect(p.sources.length).toBeGreaterThan(0);
    }
  });

  it('says which rows are host-tested', () => {
    expect(PLATFORMS.filter((p) => p.tested === 'host').map((p) => p.id)).toEqual(['debian-12', 'debian-13']);
  });
});
