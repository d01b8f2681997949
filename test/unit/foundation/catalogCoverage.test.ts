// Every plan sentence a service can emit (a PlanText key with its params) exists in both
// catalogs with placeholders the params fill. The services are scanned, not listed by hand,
// so a new key without a translation fails here instead of falling back to English silently.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INTERRUPTED_OUTCOMES } from '../../../shared/plan.js';
import type { SendPath } from '../../../shared/contract/verify.js';
import type { BlocklistStatus, ClientHostnameRule } from '../../../shared/inbound.js';
import type { GenericReason } from '../../../main/services/outbound/classify.js';

type Tree = { [key: string]: string | Tree };
const root = path.resolve(import.meta.dirname, '../../..');
const catalog = (language: string): Tree => JSON.parse(readFileSync(path.join(root, 'renderer/src/locales', `${language}.json`), 'utf8')) as Tree;
const en = catalog('en');
const ja = catalog('ja');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

/** Keys built from a template: each expansion the code can produce. */
const TEMPLATE_KEYS: Record<string, readonly string[]> = {
  '${action}Service': ['reloadService', 'startService', 'restartService'],
  '${postfixAction}Service': ['reloadService', 'startService', 'restartService'],
  '${opendkimAction}Service': ['reloadService', 'startService', 'restartService'],
  'inboundMainCf${removed.length > 0 ? \'Lists\' : \'\'}${ruleKey}': [
    'inboundMainCfLists',
    'inboundMainCfListsStrict',
    'inboundMainCfListsReverse',
    'inboundMainCfStrict',
    'inboundMainCfReverse',
  ],
};

interface Emitted {
  key: string;
  file: string;
  /** Param names given at the call, when they could be read (a literal object). */
  params: string[] | null;
}

/** main/ and shared/ source. */
function serviceSources(): { rel: string; source: string }[] {
  return [...sourceFiles(path.join(root, 'main')), ...sourceFiles(path.join(root, 'shared'))].map((file) => ({ rel: path.relative(root, file), source: readFileSync(file, 'utf8') }));
}

/** A key path in a catalog: the text there, or undefined. */
function textAt(tree: Tree, key: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) node = typeof node === 'object' && Object.hasOwn(node, part) ? node[part] : undefined;
  return typeof node === 'string' ? node : undefined;
}

/** Names in a literal params object `{ a: …, b, ...c }`; null when a spread makes them unknowable. */
function literalParams(after: string): string[] | null {
  const match = /^\s*\{([^{}]*)\}/.exec(after);
  if (!match?.[1] || match[1].includes('...')) return null;
  return [...match[1].matchAll(/(?:^|,)\s*(\w+)/g)].map((m) => m[1] ?? '');
}

/**
 * Every keyed sentence the services emit, as catalog paths: checkText('k') → checks.k,
 * finding('k') → findings.k, keyedText('ns', 'k') / englishText('ns', 'k') → ns.k, a record
 * parser's failed('code') → words.checks.problem.code, an unsafe key's unsafe('code') →
 * words.findings.problem.code. Keys chosen by a ternary count each branch.
 */
function emittedCodes(): Emitted[] {
  const found: Emitted[] = [];
  const families: { pattern: RegExp; namespace: (m: RegExpMatchArray) => string; paramsAfter: RegExp | null }[] = [
    { pattern: /\bcheckText\(\s*([^,()]*)/g, namespace: () => 'checks', paramsAfter: /^\s*,/ },
    { pattern: /\bfinding\(\s*([^,()]*)/g, namespace: () => 'findings', paramsAfter: /^\s*,\s*'\w+'\s*,/ },
    { pattern: /\b(?:keyedText|englishText)\(\s*'([\w.]+)'\s*,\s*([^,()]*)/g, namespace: (m) => m[1] ?? '', paramsAfter: /^\s*,/ },
    { pattern: /\bfailed\(\s*([^,()]*)/g, namespace: () => 'words.checks.problem', paramsAfter: /^\s*,/ },
    { pattern: /\bunsafe\(\s*([^,()]*)/g, namespace: () => 'words.findings.problem', paramsAfter: /^\s*,/ },
    { pattern: /\breportSentence\(\s*([^,()]*)/g, namespace: () => 'reports.note', paramsAfter: /^\s*,/ },
    { pattern: /\bnotWellFormed\(\s*([^,()]*)/g, namespace: () => 'words.reports.note.problem', paramsAfter: /^\s*,/ },
    { pattern: /\bsaid\(\s*([^,()]*)/g, namespace: () => 'reports.recText', paramsAfter: /^\s*,/ },
    { pattern: /\bissueText\(\s*([^,()]*)/g, namespace: () => 'reports.issue', paramsAfter: /^\s*,/ },
    { pattern: /\b(?:this\.fail|stopWith)\(\s*([^,()]*)/g, namespace: () => 'words.reports.note.why', paramsAfter: null },
    // A refused value: problem('k', …) / invalid('k', …) → validation.k (a key file's problem names its file itself).
    { pattern: /\b(?:problem|invalid)\(\s*([^,()]*)/g, namespace: () => 'validation', paramsAfter: /^\s*,/ },
    { pattern: /\bunreadable\(\s*\w+\s*,\s*([^,()]*)/g, namespace: () => 'validation', paramsAfter: null },
    // What a key rotation run says: rotationNote('k', {…}) → rotationNote.k.
    { pattern: /\brotationNote\(\s*([^,()]*)/g, namespace: () => 'rotationNote', paramsAfter: /^\s*,/ },
    // A command line the CLI refuses: cliError(code, 'k', {…}) → serviceErrors.k.
    { pattern: /\bcliError\(\s*'[\w-]+'\s*,\s*([^,()]*)/g, namespace: () => 'serviceErrors', paramsAfter: /^\s*,/ },
  ];
  for (const { rel, source } of serviceSources()) {
    for (const family of families) {
      for (const match of source.matchAll(family.pattern)) {
        const keyExpression = match[match.length - 1] ?? '';
        const after = source.slice((match.index ?? 0) + match[0].length);
        const paramsStart = family.paramsAfter?.exec(after);
        const params = family.paramsAfter === null ? null : paramsStart ? literalParams(after.slice(paramsStart[0].length)) : [];
        // A literal just before `?` is the condition's comparand, not a key.
        for (const literal of keyExpression.matchAll(/'(\w+)'(?!\s*\?)/g)) found.push({ key: `${family.namespace(match)}.${literal[1]}`, file: rel, params });
      }
    }
  }
  // Error sentences ({ key: 'k', params }) in modules that build keyed errors: a message or
  // note under serviceErrors., a hint under serviceHints (and a hint given to badInput).
  for (const { rel, source } of serviceSources()) {
    if (!/\bkeyedError\(|\bErrorSentence\b|\bbadInput\(/.test(source) || rel === 'shared/errors.ts') continue;
    for (const match of source.matchAll(/(\bhint(?:Sentence)?:\s*|badInput\([^()]*\([^()]*\)\s*,\s*)?\{\s*key:\s*([^,{}]+),\s*params:\s*/g)) {
      const after = source.slice((match.index ?? 0) + match[0].length);
      for (const literal of (match[2] ?? '').matchAll(/'(\w+)'(?!\s*\?)/g)) {
        const inHints = textAt(en, `serviceHints.${literal[1]}`) !== undefined;
        found.push({ key: `${match[1] || !textAt(en, `serviceErrors.${literal[1]}`) && inHints ? 'serviceHints' : 'serviceErrors'}.${literal[1]}`, file: rel, params: literalParams(after) });
      }
    }
  }
  return found;
}

/** The `planText(key, params)` calls of every module that builds PlanTexts. */
function emittedPlanKeys(): Emitted[] {
  const found: Emitted[] = [];
  for (const file of [...sourceFiles(path.join(root, 'main'))]) {
    const source = readFileSync(file, 'utf8');
    const rel = path.relative(root, file);
    for (const match of source.matchAll(/\bplanText\(\s*('([A-Za-z0-9]+)'|`([^`]+)`|(\w+))\s*([,)])/g)) {
      const after = source.slice(match.index + match[0].length);
      // No params at all, or a literal params object `{ a: …, b }` (null when it cannot be read).
      const params = match[5] === ')' ? [] : literalParams(after);
      if (match[2]) found.push({ key: match[2], file: rel, params });
      else if (match[3]) {
        const expansions = TEMPLATE_KEYS[match[3]];
        expect(expansions, `${rel}: template key \`${match[3]}\` needs its expansions in TEMPLATE_KEYS`).toBeDefined();
        for (const key of expansions ?? []) found.push({ key, file: rel, params });
      } else if (match[4] === 'key') {
        // a key computed just above (checked through TEMPLATE_KEYS by its template)
        const template = /const key = `([^`]+)`/.exec(source)?.[1];
        expect(template && TEMPLATE_KEYS[template], `${rel}: computed key needs its expansions in TEMPLATE_KEYS`).toBeDefined();
        for (const key of (template && TEMPLATE_KEYS[template]) || []) found.push({ key, file: rel, params });
      }
    }
  }
  return found;
}

const placeholders = (text: string): string[] => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1] ?? '');

describe('service sentences in the catalogs', () => {
  const emitted = emittedPlanKeys();
  const plan = { en: (en as Tree).plan as Tree, ja: (ja as Tree).plan as Tree };

  it('finds the plan sentences of the DKIM and inbound changes', () => {
    expect(emitted.map((e) => e.key)).toEqual(expect.arrayContaining(['keyFile', 'mainCf', 'inboundMainCfLists', 'validateAllowlist', 'reloadService']));
  });

  it('has every emitted plan key in English and Japanese', () => {
    const missing = emitted.filter((e) => typeof plan.en[e.key] !== 'string' || typeof plan.ja[e.key] !== 'string').map((e) => `${e.file}: plan.${e.key}`);
    expect([...new Set(missing)]).toEqual([]);
  });

  it('fills every placeholder from the params the service gives', () => {
    const unfilled: string[] = [];
    for (const e of emitted) {
      if (e.params === null) continue;
      for (const language of ['en', 'ja'] as const) {
        const text = plan[language][e.key];
        if (typeof text !== 'string') continue;
        for (const name of placeholders(text)) if (!e.params.includes(name)) unfilled.push(`${e.file}: plan.${e.key} (${language}) uses {{${name}}}`);
      }
    }
    expect(unfilled).toEqual([]);
  });
});

describe('every code a service emits, in both catalogs', () => {
  const emitted = emittedCodes();

  it('finds the codes of checks, findings, report notes and parser problems', () => {
    const keys = emitted.map((e) => e.key);
    expect(keys).toEqual(expect.arrayContaining(['reports.note.tlsReport', 'reports.recText.noOwnMail', 'reports.issue.spamassassinSeen', 'words.reports.note.why.rows', 'words.reports.note.problem.secondRoot', 'serviceErrors.loginRefused', 'serviceHints.checkLogin', 'serviceErrors.identityNeedsPassphrase', 'checks.spfEvalFound', 'checks.dkimFoundNone', 'findings.keyUnsafe', 'words.checks.problem.dmarcBadPolicy', 'words.findings.problem.unsafeOwner']));
    expect(keys.filter((key) => key.startsWith('checks.')).length).toBeGreaterThan(60);
    // The error codes of this pipeline: refused values (validation.), keyed errors and hints, the CLI's refusals.
    expect(keys).toEqual(expect.arrayContaining(['validation.relayPort', 'validation.keyEncrypted', 'validation.sshHost', 'validation.tooLong', 'serviceErrors.hostKeyChanged', 'serviceErrors.bundleBadMode', 'serviceErrors.noSuchCall', 'serviceErrors.cliOneOf', 'serviceHints.decryptKey', 'serviceHints.sshTargetForm', 'serviceHints.isPostfixInstalled', 'rotationNote.switchedShortOverlap', 'rotationNote.undoneStep']));
  });

  it('has every emitted code in English and Japanese', () => {
    const missing = emitted.filter((e) => textAt(en, e.key) === undefined || textAt(ja, e.key) === undefined).map((e) => `${e.file}: ${e.key}`);
    expect([...new Set(missing)]).toEqual([]);
  });

  it('fills every placeholder from the params the service gives', () => {
    const unfilled: string[] = [];
    for (const e of emitted) {
      if (e.params === null || e.key.startsWith('words.')) continue;
      for (const [language, tree] of [['en', en], ['ja', ja]] as const) {
        for (const name of placeholders(textAt(tree, e.key) ?? '')) if (!e.params.includes(name)) unfilled.push(`${e.file}: ${e.key} (${language}) uses {{${name}}}`);
      }
    }
    expect([...new Set(unfilled)]).toEqual([]);
  });

  // The server-side scripts say why with `why CODE name=value …`; main renders the code from
  // these words (transaction.sh: errors and apply/rollback reasons; send-test.sh: the send check).
  const scriptWords: Record<string, string> = { 'transaction.sh': 'words.serviceErrors.reason', 'send-test.sh': 'words.checks.reason' };
  const scriptText = (name: string) => readFileSync(path.join(root, 'main/server/scripts', name), 'utf8');

  it('has every reason code the server-side scripts give (why CODE name=…) in both catalogs, with its placeholders', () => {
    const problems: string[] = [];
    const codes: string[] = [];
    for (const [name, words] of Object.entries(scriptWords)) {
      const calls = [...scriptText(name).matchAll(/\bwhy (\w+)(.*)/g)].map((m) => ({ code: m[1] ?? '', params: [...(m[2] ?? '').matchAll(/"(\w+)=/g)].map((p) => p[1] ?? '') }));
      codes.push(...calls.map((c) => c.code));
      for (const { code, params } of calls) {
        for (const [language, tree] of [['en', en], ['ja', ja]] as const) {
          const text = textAt(tree, `${words}.${code}`);
          if (text === undefined) problems.push(`${name}: ${code} (${language}) missing`);
          else for (const placeholder of placeholders(text)) if (!params.includes(placeholder)) problems.push(`${name}: ${code} (${language}) uses {{${placeholder}}}`);
        }
      }
    }
    // the apply path's, the rollback path's and send-test's reasons
    expect(codes).toEqual(expect.arrayContaining(['relayRefused', 'noStartTls', 'certificateNotPresented', 'noBackupToRestore', 'backupWasUndone', 'restoreFailed', 'applyRunning', 'rollbackCommandFailed', 'smtpRefused', 'sendmailFailed', 'smtpAccepted']));
    expect([...new Set(problems)]).toEqual([]);
  });

  it('has the scripts say every reason as a code, none as an English sentence', () => {
    // transaction.sh: each RESULT, FAIL and WARN reason is base64 of a `why` (or of a variable holding one).
    expect([...scriptText('transaction.sh').matchAll(/\benc "(?!\$)[^"]*"/g)].map((m) => m[0])).toEqual([]);
    expect([...scriptText('send-test.sh').matchAll(/==HOMEMAIL sent \w+ (?:ok|fail) (?!\$\(why )[^"]*/g)].map((m) => m[0])).toEqual([]);
  });

  it('words a service names by code exist in both catalogs: DNS failures and SPF verdicts', () => {
    const words = ['ETIMEOUT', 'ECONNREFUSED', 'EREFUSED', 'ESERVFAIL', 'ELYING', 'ENOTFOUND', 'ENODATA', 'ENOADDRESS'].map((code) => `words.checks.reason.${code}`);
    words.push(...['pass', 'fail', 'softfail', 'neutral', 'none', 'permerror', 'temperror', 'policy'].map((verdict) => `words.checks.why.${verdict}`));
    // A send-test path (the `how` of its check titles, the CLI's results lines, the Rotation page).
    words.push(...(['sendmail', 'smtp'] satisfies SendPath[]).map((path) => `words.checks.how.${path}`));
    // The inbound checks the history keeps: a blocklist's health, the client host-name rule.
    words.push(...(['working', 'not-listing', 'lists-everything', 'refused', 'no-answer'] satisfies BlocklistStatus[]).map((health) => `words.checks.health.${health}`));
    words.push(...(['none', 'reverse', 'strict'] satisfies ClientHostnameRule[]).map((rule) => `words.checks.rule.${rule}`));
    // Why a reverse name looks generic (outbound).
    words.push(...(['genericWord', 'addressInName'] satisfies GenericReason['reason'][]).map((reason) => `words.checks.reason.${reason}`));
    // The report reader's words: which archive, which date, where an org name came from, an encoding problem, an outcome.
    words.push(...['gzip', 'zip', 'zipEntry', 'begin', 'end'].map((what) => `words.reports.note.what.${what}`));
    words.push(...['email', 'file', 'none'].map((from) => `words.reports.note.from.${from}`));
    words.push(...['utf16SingleBytes', 'unknownEncoding'].map((problem) => `words.reports.note.problem.${problem}`));
    words.push(...['quarantined', 'rejected'].map((outcome) => `words.reports.recText.outcome.${outcome}`), 'reports.note.readerSource', 'reports.issue.spamassassinFix');
    // What became of an interrupted apply (the rollback path's recover step).
    words.push(...INTERRUPTED_OUTCOMES.map((outcome) => `apply.interrupted.${outcome}`));
    expect(words.filter((key) => textAt(en, key) === undefined || textAt(ja, key) === undefined)).toEqual([]);
  });

  it('says every sentence with the same placeholders in English and Japanese', () => {
    const leaves = (tree: Tree, prefix = ''): [string, string][] => Object.entries(tree).flatMap(([key, value]) => (typeof value === 'string' ? [[`${prefix}${key}`, value] as [string, string]] : leaves(value, `${prefix}${key}.`)));
    const differing = leaves(en).filter(([key, text]) => {
      const other = textAt(ja, key);
      return other !== undefined && [...new Set(placeholders(text))].sort().join() !== [...new Set(placeholders(other))].sort().join();
    });
    expect(differing.map(([key]) => key)).toEqual([]);
  });
});
