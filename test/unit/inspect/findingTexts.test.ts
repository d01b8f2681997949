import { describe, expect, it } from 'vitest';
import en from '../../../renderer/src/locales/en.json' with { type: 'json' };
import ja from '../../../renderer/src/locales/ja.json' with { type: 'json' };
import { formatInspection } from '../../../main/cli/commands/inspect.js';
import { cliText } from '../../../main/cli/language.js';
import { keySafetyProblems } from '../../../main/services/inspect/buildInspection.js';
import { finding } from '../../../main/services/inspect/findings.js';
import type { Inspection } from '../../../shared/inspection.js';

// Findings cross as a key and params; English and Japanese come from the catalogs, both doors.
describe('finding texts', () => {
  it('takes the English from the catalog', () => {
    expect(finding('keyWeak', 'problem', { path: '/etc/dkimkeys/a.private', bits: 1024 }).text).toBe('The DKIM key /etc/dkimkeys/a.private is only 1024 bits; receivers expect at least 2048 (RFC 8301).');
    expect(Object.keys(ja.findings).sort()).toEqual(Object.keys(en.findings).sort());
  });

  it('names each unsafe key permission as a code, rendered in both languages', () => {
    const problems = keySafetyProblems({ owner: 'admin', group: 'users', mode: '660' }, 'opendkim');
    expect(problems.map((p) => p.key)).toEqual(['unsafeGroupWritable', 'unsafeOwner']);
    expect(problems.map((p) => p.text)).toEqual(['writable by the group users', 'owned by admin, not root or opendkim']);
    const unsafe = finding('keyUnsafe', 'problem', { path: '/k', ...problems[1]?.params, problem: problems[1]?.key ?? '' });
    expect(unsafe.text).toBe('OpenDKIM will refuse the key /k (RequireSafeKeys): owned by admin, not root or opendkim.');
    expect(cliText({ LANG: 'ja_JP.UTF-8' }).keyed('findings', unsafe)).toBe('OpenDKIM は鍵 /k の使用を拒否します(RequireSafeKeys): 所有者が admin です(root か opendkim であるべきです)。');
  });

  it('prints the findings in Japanese under LANG=ja_JP.UTF-8', () => {
    const inspection = {
      target: { user: 'root', host: 'mail.example.jp', port: 22 }, hostname: 'mail', privilege: 'root', os: { prettyName: 'Debian', id: 'debian' }, packageManager: 'apt', serviceManager: 'systemd', addresses: [],
      postfix: null, opendkim: { installed: false, keys: [] }, aliases: [],
      findings: [finding('postfixMissing', 'problem'), finding('opendkimMissing', 'problem')],
    } as unknown as Inspection;
    const lines = formatInspection(inspection, cliText({ LANG: 'ja_JP.UTF-8' }));
    expect(lines.slice(-2)).toEqual([`  ✗ ${ja.findings.postfixMissing}`, `  ✗ ${ja.findings.opendkimMissing}`]);
  });
});
