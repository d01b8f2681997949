import { describe, expect, it } from 'vitest';
import { ed25519Support, filterVersion, signingAlgorithms } from '../../../shared/opendkimEd25519.js';

// What bookworm's opendkim -V prints (2.11.0~beta2-8+deb12u1).
const BETA2_V = 'opendkim: OpenDKIM Filter v2.11.0\n\tCompiled with OpenSSL 3.0.20 7 Apr 2026\n\tSMFI_VERSION 0x1000001\n\tlibmilter version 1.0.1\n\tSupported signing algorithms:\n\t\trsa-sha1\n\t\trsa-sha256\n\t\ted25519-sha256\n\tSupported canonicalization algorithms:\n\t\trelaxed\n\t\tsimple\n';
const NO_ED_V = 'opendkim: OpenDKIM Filter v2.10.3\n\tSupported signing algorithms:\n\t\trsa-sha1\n\t\trsa-sha256\n\tSupported canonicalization algorithms:\n\t\trelaxed\n';

describe('ed25519Support: can OpenDKIM add an Ed25519 signature beside RSA', () => {
  it('reads the version and the algorithm list from opendkim -V', () => {
    expect(filterVersion(BETA2_V)).toBe('2.11.0');
    expect(signingAlgorithms(BETA2_V)).toEqual(['rsa-sha1', 'rsa-sha256', 'ed25519-sha256']);
    expect(signingAlgorithms('')).toBeNull();
  });

  it('no for Debian 12 (2.11.0~beta2), from the package version or from opendkim -V alone', () => {
    expect(ed25519Support({ filterVersionText: BETA2_V, packageVersion: '2.11.0~beta2-8+deb12u1' })).toMatchObject({ besideRsa: false, version: '2.11.0~beta2-8+deb12u1' });
    const bare = ed25519Support({ filterVersionText: BETA2_V, packageVersion: null });
    expect(bare).toMatchObject({ besideRsa: false, version: '2.11.0' });
    expect(bare.reason).toMatch(/one algorithm/);
    expect(ed25519Support({ filterVersionText: '', packageVersion: '2.11.0-Beta2' }).besideRsa).toBe(false);
  });

  it('no for older releases and for builds without ed25519-sha256, whatever the version', () => {
    expect(ed25519Support({ filterVersionText: '', packageVersion: '2.10.3-14' }).besideRsa).toBe(false);
    const noEd = ed25519Support({ filterVersionText: NO_ED_V, packageVersion: '2.12.0-1' });
    expect(noEd.besideRsa).toBe(false);
    expect(noEd.reason).toMatch(/built without Ed25519/);
  });

  it('yes for a final 2.11.0 package or anything later built with Ed25519', () => {
    expect(ed25519Support({ filterVersionText: BETA2_V, packageVersion: '2.11.0-1' })).toEqual({ besideRsa: true, version: '2.11.0-1', reason: null, reasonSentence: null });
    expect(ed25519Support({ filterVersionText: BETA2_V.replace('v2.11.0', 'v2.11.1'), packageVersion: null }).besideRsa).toBe(true);
  });

  it('unknown when nothing tells the version', () => {
    expect(ed25519Support({ filterVersionText: '', packageVersion: null })).toMatchObject({ besideRsa: null, version: null });
  });
});
