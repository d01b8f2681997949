// A harness that keeps trying: hostile values for every string field of every contract call
// (the examples below must name every call, so a new call cannot be left out) and for the CLI
// options that reach a server. Each value is refused at the boundary (bad-input, exit 2) or,
// when accepted, comes out without a control character and renders the intended table lines.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAllowMaps } from '../../../main/services/inbound/allowMap.js';
import { contract, type CallName, type InputOf } from '../../../shared/contract/index.js';
import { callNames } from '../../../shared/contract/names.js';
import { parseReportAddress } from '../../../shared/validation/email.js';
import { CONTROL_CHARACTERS } from '../../../shared/validation/text.js';
import { runCliCaptured } from '../../support/cli.js';
import { ALLOW_ENTRY, CONTROL, HOSTILE_STRING, LINE_BREAKING } from '../../support/hostile.js';

const SID = 'abcdefghijklmnopqrstuvwx';
const KEY_ID = '123e4567-e89b-42d3-a456-426614174000';

/** One valid input per call. */
const examples: { [K in CallName]: InputOf<K> } = {
  appInfo: {},
  planChanges: { sessionId: SID, domain: 'example.com', keyIds: [KEY_ID], rua: ['dmarc@example.com'], ruf: ['mailto:ruf@example.com'], reportTo: 'admin', resolvers: ['192.0.2.53:5353'], skipDnsCheck: false },
  applyChanges: { sessionId: SID, domain: 'example.com', keyIds: [KEY_ID], rua: ['dmarc@example.com'], ruf: [], reportTo: 'admin', resolvers: [], skipDnsCheck: true },
  rollbackChanges: { sessionId: SID, backupId: '20261130-030000-abcdef' },
  connectServer: { target: 'admin@mail.example.com:22', password: 'pass word', privateKeyPath: '/home/admin/.ssh/id_ed25519', passphrase: 'phrase', acceptFingerprint: `SHA256:${'A'.repeat(43)}`, allowLegacyAlgorithms: false },
  inspectServer: { sessionId: SID },
  disconnectServer: { sessionId: SID },
  generateDkimKey: { domain: 'example.com', selector: 's202611', type: 'rsa', bits: 2048 },
  listDkimKeys: { domain: 'example.com' },
  forgetDkimKey: { keyId: KEY_ID },
  readPublishedRecords: { domain: 'example.com', selectors: ['s202611'], includes: ['_spf.relay.example'], reportDomains: ['reports.example.net'], resolvers: ['192.0.2.53:5353'] },
  checkDkimPublished: { domain: 'example.com', keys: [{ selector: 's202611', publicKey: 'MIIBIjAN' }], resolvers: ['192.0.2.53'] },
  verifyDns: { domain: 'example.com', dkim: [{ selector: 's1', publicKey: 'MIIBIjAN', keyType: 'rsa' }], addresses: ['203.0.113.5'], interfaceAddresses: ['192.0.2.1'], resolvers: ['192.0.2.53'] },
  sendTest: { sessionId: SID, to: 'admin', domain: 'example.com', addresses: ['203.0.113.5'], resolvers: ['192.0.2.53'] },
  explainHeaders: { headers: 'Authentication-Results: mx.example.net; dkim=pass header.d=example.com' },
  readDmarcReports: { sessionId: SID, address: 'dmarc@example.com', domain: 'example.com', period: { kind: 'since', date: '2026-11-01' } },
  checkInbound: { sessionId: SID },
  planInbound: {
    sessionId: SID,
    removeDead: true,
    hostnameRule: 'strict',
    allow: [{ kind: 'name', value: '.partner.example', comment: 'partner' }, { kind: 'regexp', value: '/^mx[0-9]+\\.isp\\.example$/' }, { kind: 'address', value: '198.51.100.0/24' }],
    domain: 'example.com',
  },
  applyInbound: { sessionId: SID, hostnameRule: 'reverse', allow: [{ kind: 'name', value: 'mx.partner.example' }], domain: 'example.com' },
  planRelay: { sessionId: SID, remove: false, relay: 'smtp.isp.example:587', user: 'home-user', password: 'relay pass', domain: 'example.com' },
  applyRelay: { sessionId: SID, remove: false, relay: '[192.0.2.25]:465', user: 'me@example.com', password: 'pw', domain: 'example.com' },
  planTls: { sessionId: SID, letsEncrypt: 'mail.example.com', domain: 'example.com' },
  applyTls: { sessionId: SID, letsEncrypt: null, domain: 'example.com' },
  checkOutbound: { sessionId: SID, probeDomain: 'gmail.com', domain: 'example.com' },
  checkRequirements: { domain: 'example.com', sessionId: SID, dkim: [{ selector: 's1', publicKey: 'MIIBIjAN', keyType: 'rsa' }], addresses: ['203.0.113.5'], resolvers: ['192.0.2.53'] },
  listBackups: { sessionId: SID },
  forgetHostKey: { target: 'admin@mail.example.com:2222' },
  chooseKeyFile: {},
  setLanguage: { language: 'ja' },
  watchStatus: {},
  watchRunNow: {},
  exportHistory: { domain: 'example.com', format: 'csv' },
  deleteServerHistory: { host: 'mail.example.com', port: 22 },
  setWatchSchedule: { enabled: true, intervalHours: 24 },
  rotationStatus: { sessionId: SID, domain: 'example.com' },
  startRotation: { sessionId: SID, domain: 'example.com', selector: '202611', emergency: false, overlapDays: 7 },
  previewRotation: { sessionId: SID, domain: 'example.com' },
  continueRotation: { sessionId: SID, domain: 'example.com', step: 'switch', resolvers: ['192.0.2.53:5353'] },
  undoRotation: { sessionId: SID, domain: 'example.com' },
};

/** Fields whose text is several lines by nature and never reaches a server file: pasted headers, a public key's base64. */
const MULTI_LINE = new Set(['explainHeaders.headers', 'verifyDns.dkim.*.publicKey', 'checkRequirements.dkim.*.publicKey']);
/** Secrets go to sudo on stdin as one line: only what ends a line is refused. */
const SECRETS = new Set(['connectServer.password', 'connectServer.passphrase']);

type Path = Array<string | number>;

function stringLeaves(value: unknown, path: Path = []): Array<{ path: Path; value: string }> {
  if (typeof value === 'string') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...path, i]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
  return [];
}

function withValue(root: unknown, path: Path, value: string): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  path.slice(0, -1).forEach((key) => (node = node[key] as Record<string | number, unknown>));
  node[path[path.length - 1] ?? ''] = value;
  return copy;
}

const fieldName = (name: string, path: Path) => [name, ...path.map((p) => (typeof p === 'number' ? '*' : p))].join('.');

function insertAt(text: string, at: number, piece: string): string {
  const i = Math.min(at, text.length);
  return text.slice(0, i) + piece + text.slice(i);
}

describe('hostile values at every field of every contract call', () => {
  it('has a valid example for every call (so the harness below covers each)', () => {
    for (const name of callNames) {
      const parsed = contract[name].input.safeParse(examples[name]);
      expect(parsed.success, `${name}: ${parsed.success ? '' : JSON.stringify(parsed.error.issues)}`).toBe(true);
    }
  });

  for (const name of callNames) {
    const schema = contract[name].input;
    for (const leaf of stringLeaves(examples[name])) {
      const field = fieldName(name, leaf.path);
      if (MULTI_LINE.has(field)) continue;
      it(`${field}: a control character anywhere is refused; any other hostile value is refused or comes out clean`, () => {
        const piece = SECRETS.has(field) ? LINE_BREAKING : CONTROL;
        fc.assert(
          fc.property(piece, fc.nat(80), (char, at) => {
            expect(schema.safeParse(withValue(examples[name], leaf.path, insertAt(leaf.value, at, char))).success).toBe(false);
          }),
          { numRuns: 60 },
        );
        if (SECRETS.has(field)) return;
        fc.assert(
          fc.property(HOSTILE_STRING, (hostile) => {
            const parsed = schema.safeParse(withValue(examples[name], leaf.path, hostile));
            if (!parsed.success) return;
            for (const out of stringLeaves(parsed.data)) {
              if (MULTI_LINE.has(fieldName(name, out.path))) continue;
              expect(out.value, fieldName(name, out.path)).not.toMatch(CONTROL_CHARACTERS);
            }
          }),
          { numRuns: 150 },
        );
      });
    }
  }
});

/** A line the allowlist tables may hold: a comment, one pattern with its action, one network with OK. */
const REGEXP_LINE = /^(?:# [^\n]*|\/(?:[^/\\\n]|\\.)+\/[im]* (?:DUNNO|reject_unknown_client_hostname))$/;
const CIDR_LINE = /^(?:# [^\n]*|[0-9a-f:.]+\/\d{1,3} OK)$/;

describe('allowlist entries: the contract and the table writer agree, and accepted tables hold exactly the entries', () => {
  it('renders one rule line per accepted entry and nothing else', () => {
    fc.assert(
      fc.property(fc.array(ALLOW_ENTRY, { minLength: 1, maxLength: 5 }), fc.option(HOSTILE_STRING, { nil: undefined }), (entries, comment) => {
        const withComment = entries.map((e, i) => (i === 0 && comment !== undefined ? { ...e, comment: comment.slice(0, 200) } : e));
        const input = { ...examples.planInbound, allow: withComment };
        const parsed = contract.planInbound.input.safeParse(input);
        const maps = buildAllowMaps(withComment);
        // One validation: the contract refuses exactly what the table writer refuses.
        expect(parsed.success).toBe(maps.problems.length === 0);
        if (!parsed.success) return;
        const regexpRules = (maps.regexp ?? '').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
        const cidrRules = (maps.cidr ?? '').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
        for (const line of (maps.regexp ?? '').split('\n').filter((l) => l !== '')) expect(line).toMatch(REGEXP_LINE);
        for (const line of (maps.cidr ?? '').split('\n').filter((l) => l !== '')) expect(line).toMatch(CIDR_LINE);
        const named = withComment.filter((e) => e.kind !== 'address').length;
        expect(regexpRules.length).toBe(named === 0 ? 0 : named + 1);
        expect(cidrRules.length).toBe(withComment.length - named);
        expect(`${maps.regexp ?? ''}${maps.cidr ?? ''}`.replaceAll('\n', '')).not.toMatch(CONTROL_CHARACTERS);
      }),
      { numRuns: 400 },
    );
  });
});

describe('report addresses', () => {
  it('accepts only addresses a DMARC record and /etc/aliases carry unchanged', () => {
    fc.assert(
      fc.property(fc.oneof(fc.emailAddress(), HOSTILE_STRING.map((s) => `${s}@example.com`)), (text) => {
        const parsed = parseReportAddress(text);
        if (!parsed.ok) return;
        expect(parsed.value.local).toMatch(/^[A-Za-z0-9](?:[A-Za-z0-9._+-]*[A-Za-z0-9_+-])?$/);
        expect(`mailto:${parsed.value.address}`).not.toMatch(/[!,;\s]/);
      }),
      { numRuns: 500 },
    );
    expect(parseReportAddress('a!b@example.com')).toMatchObject({ ok: false, problem: { key: 'reportLocalPart' } });
  });
});

describe('CLI options that reach a server refuse hostile values before connecting (exit 2)', () => {
  // Port 1 on loopback: were anything to get past validation, the CLI would fail to connect (exit 3), not 2.
  const ssh = ['--ssh', 'admin@127.0.0.1:1', '--known-hosts', '/dev/null'];
  const cases: Array<{ name: string; argv: (value: string) => string[] }> = [
    { name: 'inbound --allow /…/', argv: (v) => ['inbound', ...ssh, '--hostname-rule', 'strict', '--allow', `/^mx${v}1$/`] },
    { name: 'inbound --allow NAME', argv: (v) => ['inbound', ...ssh, '--hostname-rule', 'strict', '--allow', `mx${v}.example.com`] },
    { name: 'reports --domain', argv: (v) => ['reports', ...ssh, '--domain', `exa${v}mple.com`] },
    { name: 'reports --address', argv: (v) => ['reports', ...ssh, '--address', `dmarc${v}@example.com`] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      await fc.assert(
        fc.asyncProperty(CONTROL, async (char) => {
          const run = await runCliCaptured(c.argv(char));
          expect(run.code).toBe(2);
          expect(run.err).not.toContain('\u001b');
          expect(run.err).not.toContain('\u009b');
        }),
        { numRuns: 25 },
      );
    });
  }
});
