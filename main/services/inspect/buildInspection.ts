import { englishText } from '../../../shared/i18n/english.js';
import type { KeyedText } from '../../../shared/i18n/keyedText.js';
import { ed25519Support, signingAlgorithms } from '../../../shared/opendkimEd25519.js';
import type { ContentFilterUse, Inspection, MilterUse, OpendkimInfo, OpendkimKeyFile, PostfixInfo, PrivilegeMode } from '../../../shared/inspection.js';
import type { SshTarget } from '../ssh/types.js';
import { buildFindings } from './findings.js';
import { readAliasEntries } from '../../server/config/aliases.js';
import { expandReferences, mainCfSettings, splitPostfixList } from '../../server/config/mainCf.js';
import { parseMasterCf, smtpdChroot } from '../../server/config/masterCf.js';
import { isTrue, opendkimSettingsAsWritten, readOpendkimConf } from '../../server/config/opendkimConf.js';
import { readKeyTableEntries } from '../../server/config/tables.js';
import { parseOsRelease } from '../../server/platform/osRelease.js';
import { socketAsMilter } from './opendkimConfig.js';
import { rblEntries } from './postfixConfig.js';
import type { ProbeFields } from './probeOutput.js';
import { packageManagerFrom, parseAddresses, serviceManagerFrom } from './systemFacts.js';
import { dictionary } from '../../../shared/dictionary.js';

function buildPostfix(fields: ProbeFields): PostfixInfo | null {
  if (!fields.postfix) return null;
  const settings = mainCfSettings(fields.postconfN);
  const effective = { ...mainCfSettings(fields.postconfEffective), ...settings };
  const services = parseMasterCf(fields.masterCf);
  // `non_smtpd_milters = $smtpd_milters` is a common way to write "the same milters": read what Postfix reads.
  const expanded = (name: string) => expandReferences(effective[name] ?? '', (n) => effective[n]);
  const milters: MilterUse[] = [
    ...splitPostfixList(expanded('smtpd_milters')).map((value): MilterUse => ({ source: 'smtpd_milters', service: null, value })),
    ...splitPostfixList(expanded('non_smtpd_milters')).map((value): MilterUse => ({ source: 'non_smtpd_milters', service: null, value })),
  ];
  const contentFilters: ContentFilterUse[] = [];
  if ((effective.content_filter ?? '') !== '') contentFilters.push({ source: 'main.cf', service: null, value: effective.content_filter ?? '' });
  for (const service of services) {
    for (const o of service.overrides) {
      if ((o.name === 'smtpd_milters' || o.name === 'non_smtpd_milters') && o.value !== '') {
        for (const value of splitPostfixList(o.value)) milters.push({ source: 'master.cf', service: service.service, value });
      }
      if (o.name === 'content_filter' && o.value !== '') contentFilters.push({ source: 'master.cf', service: service.service, value: o.value });
    }
  }
  const version = /^\s*(\d+\.\d+(?:\.\d+)?)/.exec(effective.mail_version ?? '')?.[1] ?? null;
  return {
    version,
    running: fields.postfixRunning,
    configDirectory: effective.config_directory || '/etc/postfix',
    settings,
    myhostname: effective.myhostname || null,
    mydomain: effective.mydomain || null,
    myorigin: effective.myorigin || null,
    mydestination: splitPostfixList(effective.mydestination ?? ''),
    smtpdChroot: smtpdChroot(services),
    queueDirectory: effective.queue_directory || null,
    milters,
    milterDefaultAction: effective.milter_default_action || null,
    contentFilters,
    rblClients: rblEntries(settings),
    hasNewaliases: fields.newaliases,
    hasPostmap: fields.postmap,
  };
}

/** `/path\towner group mode\topenssl's first line`, or `/path\tmissing\t`. */
type KeyLine = Omit<OpendkimKeyFile, 'domain' | 'selector' | 'safetyProblems' | 'safety'>;

function parseKeyLines(text: string): KeyLine[] {
  return text.split(/\r?\n/).flatMap((line): KeyLine[] => {
    const [path, meta = '', kind = ''] = line.split('\t');
    if (!path) return [];
    if (meta === 'missing') return [{ path, exists: false, owner: null, group: null, mode: null, keyType: null, bits: null }];
    const [owner = null, group = null, mode = null] = meta.split(' ');
    const ed = /ED25519/i.test(kind);
    const bits = ed ? 256 : Number(/\((\d+) bit/.exec(kind)?.[1] ?? NaN);
    return [{ path, exists: true, owner, group, mode, keyType: ed ? 'ed25519' : /Private-Key/.test(kind) ? 'rsa' : null, bits: Number.isFinite(bits) ? bits : null }];
  });
}

/** What OpenDKIM's RequireSafeKeys would object to, in plain words. */
/** What RequireSafeKeys would refuse, each a code (`words.findings.problem.<code>`) with its params. */
export function keySafetyProblems(key: { owner: string | null; group: string | null; mode: string | null }, opendkimUser: string | null): KeyedText[] {
  if (key.mode === null) return [];
  const bits = parseInt(key.mode, 8);
  const problems: KeyedText[] = [];
  const unsafe = (code: string, params: Record<string, string> = {}) => problems.push({ key: code, params, text: englishText('words.findings.problem', code, params) });
  const user = opendkimUser ?? 'opendkim';
  if (bits & 0o007) unsafe('unsafeWorld');
  if (bits & 0o020) unsafe('unsafeGroupWritable', { group: key.group ?? '?' });
  else if (bits & 0o040 && key.group !== null && key.group !== 'root' && key.group !== user) unsafe('unsafeGroupReadable', { group: key.group });
  if (key.owner !== null && key.owner !== 'root' && key.owner !== user) unsafe('unsafeOwner', { owner: key.owner, user });
  return problems;
}

function legacySocket(defaults: string): string | null {
  const vars = dictionary<string>();
  for (const line of defaults.split(/\r?\n/)) {
    const match = /^\s*([A-Z_]+)=["']?([^"'#]*)["']?\s*$/.exec(line);
    if (match?.[1]) vars[match[1]] = (match[2] ?? '').replace(/\$\{?([A-Z_]+)\}?/g, (_all, name: string) => vars[name] ?? '');
  }
  return vars.SOCKET || null;
}

function buildOpendkim(fields: ProbeFields): OpendkimInfo {
  const settings = opendkimSettingsAsWritten(fields.opendkimConf);
  const conf = readOpendkimConf(fields.opendkimConf);
  const getSetting = (name: string): string | null => conf.get(name.toLowerCase()) ?? null;
  const configured = fields.opendkimConf.trim() !== '';
  const keyFile = getSetting('KeyFile');
  const keyTable = getSetting('KeyTable');
  const mode: OpendkimInfo['mode'] = keyTable ? 'key-table' : keyFile ? 'single-key' : 'none';
  const table = readKeyTableEntries(fields.keyTable);
  const singleDomains = (getSetting('Domain') ?? '').split(/[\s,]+/).filter((d) => d !== '');
  const selector = getSetting('Selector');
  const userId = getSetting('UserID')?.split(':')[0] ?? null;
  const keys: OpendkimKeyFile[] = parseKeyLines(fields.keys).map((key) => {
    const entry = table.find((e) => e.keyPath === key.path);
    const single = mode === 'single-key' && key.path === keyFile;
    const safety = key.exists ? keySafetyProblems(key, userId) : [];
    return {
      ...key,
      domain: entry?.domain ?? (single ? (singleDomains[0] ?? null) : null),
      selector: entry?.selector ?? (single ? selector : null),
      safetyProblems: safety.map((problem) => problem.text),
      safety,
    };
  });
  const socket = getSetting('Socket') ?? legacySocket(fields.opendkimDefault);
  const version = /OpenDKIM Filter v(\d+\.\d+(?:\.\d+)?)/.exec(fields.opendkimVersion)?.[1] ?? null;
  return {
    installed: fields.opendkim,
    version,
    // "Can sign" means beside the RSA key: Homemail never signs with Ed25519 alone.
    canSignEd25519: fields.opendkim && signingAlgorithms(fields.opendkimVersion) !== null ? ed25519Support({ filterVersionText: fields.opendkimVersion, packageVersion: null }).besideRsa : null,
    running: fields.opendkimRunning,
    configPath: '/etc/opendkim.conf',
    configured,
    mode,
    settings,
    socket,
    socketAsMilter: socketAsMilter(socket),
    domains: mode === 'key-table' ? [...new Set(table.map((e) => e.domain))] : mode === 'single-key' ? singleDomains : [],
    keyTable,
    signingTable: getSetting('SigningTable'),
    keys,
    requireSafeKeys: getSetting('RequireSafeKeys') === null ? true : isTrue(getSetting('RequireSafeKeys')),
    userId,
  };
}

export function buildInspection(fields: ProbeFields, context: { target: SshTarget; privilege: PrivilegeMode }): Inspection {
  const aliasesText = fields.aliases;
  const base: Omit<Inspection, 'findings'> = {
    schemaVersion: 1,
    target: { ...context.target },
    privilege: context.privilege,
    hostname: fields.hostname || null,
    os: parseOsRelease(fields.osRelease),
    packageManager: packageManagerFrom(fields.packageManager),
    serviceManager: serviceManagerFrom(fields.serviceManager),
    addresses: parseAddresses(fields.addresses, fields.hostnameI),
    postfix: buildPostfix(fields),
    opendkim: buildOpendkim(fields),
    aliases: readAliasEntries(aliasesText).map(({ name, targets }) => ({ name, targets: targets.join(', ') })),
    aliasesPath: aliasesText === '' ? null : '/etc/aliases',
  };
  return { ...base, findings: buildFindings(base) };
}
