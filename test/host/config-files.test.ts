// The readers in main/server/config/ follow the rules of the programs that read each file:
// checked here against the real opendkim, postalias and postconf on the test host. Each case
// writes a scratch file under /tmp on the host, asks the real program, and compares.
import { describe, expect, it } from 'vitest';
import { readAliases } from '../../main/server/config/aliases.js';
import { readLookupTable } from '../../main/server/config/lookupTable.js';
import { LOOKUP_TABLE_ENTRIES, LOOKUP_TABLE_SOURCE } from '../fixtures/postfix/lookupTableSource.js';
import { REFERENCE_CASES } from '../unit/server/config/referenceCases.js';
import { expandReferences, readMainCf } from '../../main/server/config/mainCf.js';
import { readOpendkimConf } from '../../main/server/config/opendkimConf.js';
import { parseOpendkimSocket } from '../../main/server/config/socket.js';
import { hostSkipReason, resetHost, type TestHost } from './testHost.js';

const skip = hostSkipReason();
const suite = (name: string): string => (skip === null ? name : `${name} — SKIPPED: ${skip}`);

async function root(host: TestHost, cmd: string, stdin?: string): Promise<string> {
  const r = await host.runAsRoot(cmd, stdin === undefined ? {} : { stdin });
  if (r.code !== 0) throw new Error(`${cmd} failed (${r.code}): ${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** TCP ports in LISTEN state on the host (from /proc/net/tcp). */
async function listening(host: TestHost): Promise<number[]> {
  const out = await root(host, "awk '$4 == \"0A\" { split($2, a, \":\"); print a[2] }' /proc/net/tcp /proc/net/tcp6");
  return out.split('\n').filter((l) => l !== '').map((hex) => parseInt(hex, 16));
}

describe.skipIf(skip !== null)(suite('server file readers agree with the real programs'), () => {
  it('opendkim.conf: a # anywhere starts a comment and the last Socket line is the one OpenDKIM listens on', async () => {
    const host = await resetHost('fresh');
    const conf = [
      'Syslog\t\t\tno',
      'Mode\t\t\tv',
      'UserID\t\t\topendkim',
      'PidFile\t\t\t/tmp/hm-conf-test.pid',
      'Socket\t\t\tinet:18891@127.0.0.1',
      'socket\t\t\tinet:18892@127.0.0.1#inet:18894@127.0.0.1',
      '',
    ].join('\n');
    const ours = parseOpendkimSocket(readOpendkimConf(conf).get('socket') ?? '');
    expect(ours).toEqual({ kind: 'inet', port: 18892, host: '127.0.0.1' });
    await root(host, 'cat > /tmp/hm-conf-test.conf', conf);
    // -n: the real parser accepts the file as it is
    await root(host, 'opendkim -n -x /tmp/hm-conf-test.conf');
    await root(host, 'opendkim -x /tmp/hm-conf-test.conf');
    try {
      let ports: number[] = [];
      for (let i = 0; i < 40 && !ports.includes(18892); i += 1) {
        await new Promise((r) => setTimeout(r, 250));
        ports = await listening(host);
      }
      expect(ports).toContain(18892);
      expect(ports).not.toContain(18891);
      expect(ports).not.toContain(18894);
    } finally {
      await host.runAsRoot('kill "$(cat /tmp/hm-conf-test.pid)" 2>/dev/null; rm -f /tmp/hm-conf-test.conf /tmp/hm-conf-test.pid');
    }
  });

  it('/etc/aliases syntax: names fold to lower case, the first definition of a name wins, comments do not end an entry', async () => {
    const host = await resetHost('fresh');
    const aliases = ['# test', 'DMARC: alice', '  # inside', '  , bob', 'dmarc: carol', '"odd name": root', 'Reports: root,', '\tadmin', ''].join('\n');
    await root(host, 'cat > /tmp/hm-aliases', aliases);
    const postalias = await root(host, 'postalias /tmp/hm-aliases 2>&1; for k in dmarc DMARC "odd name" reports; do printf "%s=" "$k"; postalias -q "$k" /tmp/hm-aliases || echo; done; rm -f /tmp/hm-aliases /tmp/hm-aliases.db');
    const ours = readAliases(aliases);
    const answer = (key: string) => new RegExp(`^${key}=(.*)$`, 'm').exec(postalias)?.[1]?.split(',').map((t) => t.trim()) ?? [];
    expect(postalias).toMatch(/duplicate entry/);
    expect(answer('dmarc')).toEqual(ours.get('dmarc'));
    expect(answer('DMARC')).toEqual(ours.get('dmarc'));
    expect(answer('odd name')).toEqual(ours.get('odd name'));
    expect(answer('reports')).toEqual(ours.get('reports'));
    expect(ours.get('dmarc')).toEqual(['alice', 'bob']);
  });

  it('main.cf: continuation lines join across comments and the last assignment wins, as postconf reads it', async () => {
    const host = await resetHost('fresh');
    const mainCf = ['mydestination = a.example', '# comment inside', '  b.example', 'myorigin = first.example', 'myorigin = second.example', ''].join('\n');
    await root(host, 'mkdir -p /tmp/hm-pc && cat > /tmp/hm-pc/main.cf', mainCf);
    const out = await root(host, 'postconf -c /tmp/hm-pc -h mydestination myorigin 2>/dev/null; rm -rf /tmp/hm-pc');
    const [mydestination, myorigin] = out.split('\n');
    const ours = readMainCf(mainCf);
    expect(mydestination).toBe(ours.get('mydestination'));
    expect(myorigin).toBe(ours.get('myorigin'));
    expect(myorigin).toBe('second.example');
  });

  it('main.cf: $name references in a milter list expand as postconf -x expands them', async () => {
    const host = await resetHost('fresh');
    for (const [value, settings, expanded] of REFERENCE_CASES) {
      const mainCf = [...Object.entries(settings).map(([name, v]) => `${name} = ${v}`), `non_smtpd_milters = ${value}`, ''].join('\n');
      await root(host, 'mkdir -p /tmp/hm-px && cat > /tmp/hm-px/main.cf', mainCf);
      const out = await root(host, 'postconf -c /tmp/hm-px -xh non_smtpd_milters 2>/dev/null; rm -rf /tmp/hm-px');
      const ours = expandReferences(value, (name) => readMainCf(mainCf).get(name));
      expect(ours).toBe(expanded);
      expect(out.trim()).toBe(ours);
    }
  });

  it('lookup tables: key and value split, continuation lines, comments, duplicates and case, as postmap builds hash: and reads texthash:', async () => {
    const host = await resetHost('fresh');
    const source = LOOKUP_TABLE_SOURCE;
    await root(host, 'mkdir -p /tmp/hm-pm && cat > /tmp/hm-pm/table', source);
    // postmap -s prints every entry as "key<TAB>value"; LC_ALL=C sorts both lists the same way.
    const out = await root(host, 'cd /tmp/hm-pm && postmap hash:table 2>warnings; for t in hash texthash; do echo "== $t"; postmap -s $t:table 2>/dev/null | LC_ALL=C sort; done; echo "== warnings"; cat warnings; rm -rf /tmp/hm-pm');
    const section = (name: string) => out.split(`== ${name}\n`)[1]?.split('\n== ')[0]?.split('\n').filter((l) => l !== '') ?? [];
    const ours = readLookupTable(source)
      .map((e) => `${e.key}\t${e.value}`)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(ours).toEqual(LOOKUP_TABLE_ENTRIES.map(([k, v]) => `${k}\t${v}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(section('hash')).toEqual(ours);
    expect(section('texthash')).toEqual(ours);
    // what our reader skips, postmap warns about
    expect(section('warnings').join('\n')).toMatch(/must not start with whitespace/);
    expect(section('warnings').join('\n')).toMatch(/expected format: key whitespace value/);
    expect(section('warnings').join('\n')).toMatch(/duplicate entry/);
  });
});
