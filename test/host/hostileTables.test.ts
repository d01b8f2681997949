// The hostile-input harness against the real programs: allowlist entries generated with
// fast-check (plausible and hostile mixed), refused at the contract, or rendered and compiled
// by the test host's own postmap, which must answer exactly the intended action for every
// listed name and network, the host-name rule for "unknown", nothing for strangers, and warn
// about no line. DKIM domains and selectors the same way through opendkim -n. A bounded
// number of runs: each is one round trip to the host.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAllowMaps, checkRegexpPattern } from '../../main/services/inbound/allowMap.js';
import { editKeyTable, editSigningTable } from '../../main/server/config/tables.js';
import { contract } from '../../shared/contract/index.js';
import { normalizeDomain, normalizeSelector } from '../../shared/validation/index.js';
import { ALLOW_ENTRY, HOSTILE_STRING } from '../support/hostile.js';
import { currentHost, hostSkipReason, type TestHost } from './testHost.js';

const skip = hostSkipReason();
const suite = (name: string): string => (skip === null ? name : `${name} — SKIPPED: ${skip}`);
const SID = 'abcdefghijklmnopqrstuvwx';
const b64 = (text: string) => Buffer.from(text).toString('base64');
/** Probe values are embedded in single quotes: only what a normalised name or address holds. */
const SAFE_PROBE = /^[a-z0-9.:-]+$/;

describe.skipIf(skip !== null)(suite('hostile values rendered into real server tables'), () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await currentHost();
  });

  it('postmap answers exactly the intended entries of every accepted allowlist, and nothing for strangers', async () => {
    let compiled = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(ALLOW_ENTRY, { minLength: 1, maxLength: 4 }), async (entries) => {
        const parsed = contract.planInbound.input.safeParse({ sessionId: SID, hostnameRule: 'strict', allow: entries, domain: 'example.com' });
        const maps = buildAllowMaps(entries);
        expect(parsed.success).toBe(maps.problems.length === 0);
        if (!parsed.success) return;
        compiled += 1;
        const probes = [
          ...maps.probes.map((p) => ({ kind: p.map.startsWith('cidr:') ? 'c' : 'r', value: p.value, expect: p.expect })),
          { kind: 'r', value: 'stranger.invalid', expect: maps.regexp === null ? '' : 'reject_unknown_client_hostname' },
          { kind: 'c', value: '192.0.2.254', expect: '' },
        ].filter((p) => p.kind === 'c' || maps.regexp !== null);
        for (const p of probes) expect(p.value).toMatch(SAFE_PROBE);
        const script = [
          'd=$(mktemp -d)',
          `printf '%s' '${b64(maps.regexp ?? '')}' | base64 -d > "$d/r"`,
          `printf '%s' '${b64(maps.cidr ?? '')}' | base64 -d > "$d/c"`,
          ...probes.map((p) => `printf '%s|%s\\n' '${p.value}' "$(postmap -q '${p.value}' ${p.kind === 'c' ? 'cidr' : 'regexp'}:"$d/${p.kind}" 2>&1)"`),
          'rm -rf "$d"',
        ].join('\n');
        const run = await host.runAsRoot(script);
        const answers = run.stdout.trimEnd().split('\n');
        expect(answers).toEqual(probes.map((p) => `${p.value}|${p.expect}`));
      }),
      { numRuns: 40 },
    );
    expect(compiled).toBeGreaterThan(5);
  });

  it('Postfix reads every pattern the check accepts: hundreds of generated patterns in one table, no line warned about', async () => {
    const candidates = fc.sample(fc.oneof(HOSTILE_STRING.map((t) => `/${t}/`), fc.stringMatching(/^\/[a-z0-9.^$*+?()[\]{}|\\:-]{1,16}\/[imx]?$/)), { numRuns: 6000, seed: 17 });
    const accepted = [...new Set(candidates.filter((p) => checkRegexpPattern(p) === null))];
    expect(accepted.length).toBeGreaterThan(200);
    const table = `${accepted.map((p, i) => `${p} line-${i + 1}`).join('\n')}\n`;
    const run = await host.runAsRoot('d=$(mktemp -d) && cat > "$d/r" && postmap -q probe.invalid "regexp:$d/r" 2>&1; rm -rf "$d"', { stdin: table });
    const warned = [...run.stdout.matchAll(/line (\d+): (.*)/g)].map((m) => `${accepted[Number(m[1]) - 1] ?? '?'}: ${m[2] ?? ''}`);
    expect(warned).toEqual([]);
  });

  it('opendkim -n reads the KeyTable and SigningTable of every accepted domain and selector', async () => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof({ arbitrary: fc.domain(), weight: 3 }, { arbitrary: HOSTILE_STRING, weight: 1 }), fc.oneof({ arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/), weight: 3 }, { arbitrary: HOSTILE_STRING, weight: 1 }), async (domainText, selectorText) => {
        const accepted = contract.generateDkimKey.input.safeParse({ domain: domainText, selector: selectorText });
        const domain = normalizeDomain(domainText);
        const selector = normalizeSelector(selectorText);
        if (!accepted.success || !domain.ok || !selector.ok) return;
        checked += 1;
        const name = `${selector.value}._domainkey.${domain.value}`;
        const keyTable = editKeyTable('', [{ name, domain: domain.value, selector: selector.value, keyPath: '/etc/dkimkeys/harness.private' }]);
        const signingTable = editSigningTable('', domain.value, [name], true);
        expect(keyTable.split('\n').filter((l) => l !== '')).toEqual([`${name} ${domain.value}:${selector.value}:/etc/dkimkeys/harness.private`]);
        expect(signingTable.split('\n').filter((l) => l !== '')).toEqual([`*@${domain.value} ${name}`]);
        // Placeholders mktemp's [A-Za-z0-9] names cannot contain: "KT"/"ST" once matched inside the temporary directory's own name.
        const conf = ['Syslog no', 'Socket inet:18891@localhost', 'KeyTable file:__KEYTABLE__', 'SigningTable refile:__SIGNINGTABLE__', 'Mode sv'].join('\n');
        const script = [
          'd=$(mktemp -d)',
          `printf '%s' '${b64(keyTable)}' | base64 -d > "$d/KeyTable"`,
          `printf '%s' '${b64(signingTable)}' | base64 -d > "$d/SigningTable"`,
          `printf '%s\\n' '${b64(conf)}' | base64 -d | sed "s#__KEYTABLE__#$d/KeyTable#; s#__SIGNINGTABLE__#$d/SigningTable#" > "$d/opendkim.conf"`,
          'opendkim -n -x "$d/opendkim.conf" 2>&1; echo "exit=$?"',
          'rm -rf "$d"',
        ].join('\n');
        const run = await host.runAsRoot(script);
        expect(run.stdout.trim()).toBe('exit=0');
      }),
      { numRuns: 25 },
    );
    expect(checked).toBeGreaterThan(3);
  });
});
