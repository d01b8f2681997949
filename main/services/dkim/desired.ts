import { keyedError } from '../../../shared/errors.js';
import { planText } from '../../../shared/i18n/english.js';
import { ED25519_KEYTABLE_ALGORITHM, ed25519Support } from '../../../shared/opendkimEd25519.js';
import type { PlanText } from '../../../shared/plan.js';
import { expandReferences, readMainCf, setParameters, splitPostfixList, type ParameterEdit } from '../../server/config/mainCf.js';
import { mergeMilters } from '../../server/config/milters.js';
import { editOpendkimConf, parseDataset, readOpendkimConf, repeatedOpendkimSettings, type ConfEdit } from '../../server/config/opendkimConf.js';
import { DEFAULT_SOCKET, milterForSocket, parseOpendkimSocket, readChroot, type OpendkimSocket } from '../../server/config/socket.js';
import { editAliases, readAliases } from '../../server/config/aliases.js';
import { editHostList, editKeyTable, editSigningTable, peersFromMynetworks, readKeyTable, type KeyTableEntry } from '../../server/config/tables.js';
import { desiredFile, fileText, sha256, type ChangeSet, type DesiredDir, type DesiredFile, type NewFileMeta, type ServerCommand, type ServerState } from '../../server/engine/index.js';
import { ALIASES, KEY_DIR, KEY_TABLE, MAIN_CF, MASTER_CF, OPENDKIM_CONF, OPENDMARC_CONF, SIGNING_TABLE, TABLE_DIR, TRUSTED_HOSTS, keyPath } from '../../server/platform/paths.js';
import type { Platform } from '../../server/platform/platforms.js';
import { serviceCommand, postfixCommand, type ServiceAction } from '../../server/platform/serviceCommands.js';

/** One DKIM key to install. Structurally a subset of the key loader's DkimKey. */
export interface ChangeKey {
  selector: string;
  type: 'rsa' | 'ed25519';
  /** null: the key file is already on the server (a rotation's keys); the change only points the tables at it. */
  privateKeyPem: string | null;
  /** Where the key file is; default keyPath(selector). */
  keyPath?: string;
}

const keyFileOf = (key: Pick<ChangeKey, 'selector' | 'keyPath'>): string => key.keyPath ?? keyPath(key.selector);

export interface ChangeSettings {
  domain: string;
  keys: readonly ChangeKey[];
  rua: readonly string[];
  ruf: readonly string[];
  /** Local user that receives report mail for rua/ruf addresses of the server's own domain. */
  reportTo: string;
}

/** opendkim.conf settings the change reads; written twice, they are collapsed to one line. */
const RELIED_ON_SETTINGS = ['socket', 'keytable', 'signingtable', 'internalhosts', 'externalignorelist', 'mode', 'multiplesignatures'];

/** The opendkim.conf Homemail starts from when the package is not installed yet. */
export function opendkimConfTemplate(platform: Platform): string {
  return [
    '# OpenDKIM configuration written by Homemail. See opendkim.conf(5).',
    'Syslog\t\t\tyes',
    'SyslogSuccess\t\tyes',
    'Canonicalization\trelaxed/simple',
    'OversignHeaders\t\tFrom',
    `UserID\t\t\t${platform.opendkim.user}`,
    'UMask\t\t\t007',
    'PidFile\t\t\t/run/opendkim/opendkim.pid',
    'TrustAnchorFile\t\t/usr/share/dns/root.key',
    '',
  ].join('\n');
}

/** Paths the gather step reads: configuration files, key files (hash only) and directories. */
export function gatherPaths(settings: Pick<ChangeSettings, 'keys'>): string[] {
  return [
    MAIN_CF,
    MASTER_CF,
    OPENDKIM_CONF,
    OPENDMARC_CONF,
    ALIASES,
    KEY_TABLE,
    SIGNING_TABLE,
    TRUSTED_HOSTS,
    ...settings.keys.map((k) => `secret:${keyFileOf(k)}`),
    `dir:${KEY_DIR}`,
    `dir:${TABLE_DIR}`,
  ];
}

function mailtoAddress(value: string): string {
  return value.trim().replace(/^mailto:/i, '').replace(/!.*$/, '');
}

function localDomains(mainCf: Map<string, string>): Set<string> {
  const myhostname = mainCf.get('myhostname') ?? '';
  const mydomain = mainCf.get('mydomain') ?? myhostname.replace(/^[^.]+\./, '');
  const tokens = splitPostfixList(mainCf.get('mydestination') ?? '$myhostname, localhost.$mydomain, localhost');
  const out = new Set<string>();
  for (const token of tokens) {
    const expanded = token.replace(/\$\{?myhostname\}?/g, myhostname).replace(/\$\{?mydomain\}?/g, mydomain).toLowerCase();
    if (!expanded.includes('$') && !expanded.includes(':') && !expanded.startsWith('/')) out.add(expanded);
  }
  return out;
}

function chooseSocket(conf: Map<string, string>, chroot: ReturnType<typeof readChroot>, notes: PlanText[]): { socket: OpendkimSocket; spec: string; milter: string; former: string[] } {
  const currentSpec = conf.get('socket');
  const current = currentSpec === undefined ? null : parseOpendkimSocket(currentSpec);
  const currentMilter = current === null ? null : milterForSocket(current, chroot);
  if (current !== null && currentMilter !== null && currentSpec !== undefined) {
    return { socket: current, spec: currentSpec, milter: currentMilter, former: [] };
  }
  const socket = parseOpendkimSocket(DEFAULT_SOCKET) as OpendkimSocket;
  const milter = milterForSocket(socket, chroot) as string;
  if (currentSpec !== undefined) {
    notes.push(
      planText('socketReplaced', {
        old: currentSpec,
        socket: DEFAULT_SOCKET,
      }),
    );
  }
  const former = current?.kind === 'local' ? [`unix:${current.path}`] : [];
  return { socket, spec: DEFAULT_SOCKET, milter, former };
}

/**
 * What the server should look like after apply, as the list of files that differ, the
 * directories and packages to create, and the commands that validate and reload. Pure:
 * the same gathered state and settings always give the same change set.
 */
export function computeChanges(state: ServerState, settings: ChangeSettings): ChangeSet {
  const notes: PlanText[] = [];
  const domain = settings.domain.toLowerCase();
  if (!state.packages.postfix && !state.files.get(MAIN_CF)?.exists) {
    throw keyedError('checks-failed', { key: 'postfixNotInstalled', params: {} }, { hint: { key: 'installPostfixFirst', params: {} } });
  }
  if (settings.keys.length === 0) throw keyedError('bad-input', { key: 'dkimKeyNeeded', params: {} }, { details: { field: 'dkim' }, hint: { key: 'keyAgain', params: { field: 'dkim' } } });

  // Refused here, before anything changes: OpenDKIM up to 2.11.0 Beta2 would temp-fail
  // every message it tries to sign with an Ed25519 key beside the RSA one.
  const edKeys = settings.keys.filter((k) => k.type === 'ed25519');
  const ed = ed25519Support(state.opendkimBuild);
  if (edKeys.length > 0 && ed.besideRsa !== true) {
    throw keyedError('bad-input', { key: 'ed25519Unusable', params: { selectors: edKeys.map((k) => k.selector).join(', ') } }, {
      notes: ed.reasonSentence === null ? [] : [ed.reasonSentence],
      details: { field: 'dkim', opendkimVersion: ed.version },
      hint: { key: 'ed25519LeaveOut', params: {} },
    });
  }

  const platform = state.platform;
  const dkimUser = platform.opendkim.user;
  const dkimGroup = platform.opendkim.group;
  const install = [platform.packages.opendkim, platform.packages.opendkimTools].filter((p) => !state.packages[p]);
  if (install.length > 0 && !state.apt) {
    throw keyedError('checks-failed', { key: 'opendkimNoApt', params: { packages: install.join(', ') } }, { hint: { key: 'installOpendkim', params: {} } });
  }
  const confFile = state.files.get(OPENDKIM_CONF);
  const confBefore = confFile?.exists ? (confFile.content ?? '') : opendkimConfTemplate(platform);
  const conf = readOpendkimConf(confBefore);
  const mainText = fileText(state, MAIN_CF);
  const main = readMainCf(mainText);
  const postfixMajor = Number(/^(\d+)/.exec(state.mailVersion)?.[1] ?? '3');
  const chroot = readChroot(fileText(state, MASTER_CF), state.queueDirectory, postfixMajor);
  const sock = chooseSocket(conf, chroot, notes);

  const files: DesiredFile[] = [];
  const dirs: DesiredDir[] = [];
  const addFile = (path: string, content: string, why: PlanText, meta: NewFileMeta) => {
    const file = desiredFile(state, path, content, why, meta);
    if (file) files.push(file);
  };
  const ensureDir = (path: string, owner: string, group: string, mode: string) => {
    if (!state.dirs.get(path)?.exists && !dirs.some((d) => d.path === path)) dirs.push({ path, owner, group, mode });
  };

  // Key files, RequireSafeKeys-safe: owner opendkim, 0600, in a 0700 directory.
  ensureDir(KEY_DIR, dkimUser, dkimGroup, '0700');
  // The Ed25519 entry names its algorithm (KeyTable's fourth field); RSA keeps the global default.
  const keyEntries: KeyTableEntry[] = settings.keys.map((k) => ({
    name: `${k.selector}._domainkey.${domain}`,
    domain,
    selector: k.selector,
    keyPath: keyFileOf(k),
    ...(k.type === 'ed25519' ? { algorithm: ED25519_KEYTABLE_ALGORITHM } : {}),
  }));
  for (const key of settings.keys) {
    const path = keyFileOf(key);
    const before = state.files.get(path);
    if (key.privateKeyPem === null) {
      if (!before?.exists) {
        throw keyedError('checks-failed', { key: 'rotationKeyFileMissing', params: { path, selector: key.selector } }, { hint: { key: 'rotationStartAgain', params: { field: 'rotate-undo' } } });
      }
      continue;
    }
    const pem = key.privateKeyPem.endsWith('\n') ? key.privateKeyPem : `${key.privateKeyPem}\n`;
    // The key file keeps its owner only if it is already safe; otherwise it becomes opendkim 0600.
    if (before?.exists && before.sha256 === sha256(pem)) continue;
    files.push({
      path,
      before,
      content: pem,
      owner: dkimUser,
      group: dkimGroup,
      mode: '0600',
      secret: true,
      expect: before?.exists ? (before.sha256 ?? 'any') : 'absent',
      why: planText('keyFile', { selector: key.selector, type: key.type }),
    });
  }

  // Tables: KeyTable, SigningTable (refile: with *@domain), trusted hosts.
  const confEdits: ConfEdit[] = [];
  const keyTableSpec = parseDataset(conf.get('keytable') ?? KEY_TABLE);
  const signingSpec = parseDataset(conf.get('signingtable') ?? `refile:${SIGNING_TABLE}`);
  for (const [name, spec] of [['KeyTable', keyTableSpec], ['SigningTable', signingSpec]] as const) {
    if (spec.type === 'other') {
      throw keyedError('checks-failed', { key: 'opendkimTableDatabase', params: { name, path: spec.path } }, { hint: { key: 'tableByHand', params: { domain, name } } });
    }
  }
  if (!conf.has('keytable')) confEdits.push({ name: 'KeyTable', value: KEY_TABLE });
  if (!conf.has('signingtable')) confEdits.push({ name: 'SigningTable', value: `refile:${SIGNING_TABLE}` });
  if (keyTableSpec.path.startsWith(`${TABLE_DIR}/`) || signingSpec.path.startsWith(`${TABLE_DIR}/`)) ensureDir(TABLE_DIR, 'root', 'root', '0755');

  let keyTable = fileText(state, keyTableSpec.path);
  let signing = fileText(state, signingSpec.path);
  const refile = signingSpec.type === 'refile';
  // A single-key configuration moves into the tables; other domains it signed keep their key.
  const single = !conf.has('keytable') && conf.has('keyfile') && conf.has('selector') && conf.has('domain');
  if (single) {
    const oldSelector = conf.get('selector') as string;
    const oldKey = conf.get('keyfile') as string;
    const oldDomains = (conf.get('domain') as string).split(/[\s,]+/).filter((d) => d !== '' && !d.startsWith('/'));
    for (const oldDomain of oldDomains.map((d) => d.toLowerCase())) {
      if (oldDomain === domain) continue;
      const entry = { name: `${oldSelector}._domainkey.${oldDomain}`, domain: oldDomain, selector: oldSelector, keyPath: oldKey };
      keyTable = editKeyTable(keyTable, [entry]);
      signing = editSigningTable(signing, oldDomain, [entry.name], refile);
    }
    confEdits.push({ name: 'Domain', value: null }, { name: 'KeyFile', value: null }, { name: 'Selector', value: null });
    notes.push(planText('singleKeyMigrated'));
  }
  const existingKeys = readKeyTable(keyTable);
  for (const entry of keyEntries) {
    const clash = [...existingKeys.entries()].find(([name, value]) => name !== entry.name && value.split(':')[2] === entry.keyPath);
    if (clash) {
      throw keyedError('bad-input', { key: 'keyFileInUse', params: { path: entry.keyPath, name: clash[0] } }, { details: { field: 'dkim' }, hint: { key: 'chooseAnotherSelector', params: { field: 'dkim' } } });
    }
  }
  keyTable = editKeyTable(keyTable, keyEntries);
  signing = editSigningTable(signing, domain, keyEntries.map((e) => e.name), refile);
  addFile(keyTableSpec.path, keyTable, planText('keyTable', { domain }), { owner: 'root', group: 'root', mode: '0644' });
  addFile(signingSpec.path, signing, planText('signingTable', { domain }), { owner: 'root', group: 'root', mode: '0644' });

  const internalSpec = parseDataset(conf.get('internalhosts') ?? TRUSTED_HOSTS);
  const ignoreSpec = parseDataset(conf.get('externalignorelist') ?? internalSpec.path);
  if (!conf.has('internalhosts')) confEdits.push({ name: 'InternalHosts', value: internalSpec.path });
  if (!conf.has('externalignorelist') && internalSpec.type !== 'other') confEdits.push({ name: 'ExternalIgnoreList', value: internalSpec.path });
  const peers = peersFromMynetworks(main.get('mynetworks'));
  for (const spec of internalSpec.path === ignoreSpec.path ? [internalSpec] : [internalSpec, ignoreSpec]) {
    if (spec.type === 'other') continue;
    addFile(spec.path, editHostList(fileText(state, spec.path), peers), planText('trustedHosts'), {
      owner: 'root',
      group: 'root',
      mode: '0644',
    });
  }

  if (conf.get('socket') !== sock.spec) confEdits.push({ name: 'Socket', value: sock.spec });
  if (conf.get('canonicalization') !== 'relaxed/simple') confEdits.push({ name: 'Canonicalization', value: 'relaxed/simple' });
  if (conf.get('oversignheaders') === undefined || !/(^|[\s,])from($|[\s,])/i.test(conf.get('oversignheaders') as string)) {
    confEdits.push({ name: 'OversignHeaders', value: 'From' });
  }
  if (!conf.has('syslog')) confEdits.push({ name: 'Syslog', value: 'yes' });
  if (!conf.has('syslogsuccess')) confEdits.push({ name: 'SyslogSuccess', value: 'yes' });
  if (settings.keys.length > 1 && conf.get('multiplesignatures') !== 'yes') confEdits.push({ name: 'MultipleSignatures', value: 'yes' });
  const mode = conf.get('mode');
  if (mode !== undefined && !mode.includes('s')) confEdits.push({ name: 'Mode', value: 'sv' });
  // A setting Homemail relies on that is written twice is collapsed to the line OpenDKIM reads (the last).
  for (const name of repeatedOpendkimSettings(confBefore)) {
    const value = conf.get(name);
    if (RELIED_ON_SETTINGS.includes(name) && value !== undefined && !confEdits.some((e) => e.name.toLowerCase() === name)) confEdits.push({ name, value });
  }
  const confAfter = confEdits.length > 0 ? editOpendkimConf(confBefore, confEdits) : confBefore;
  addFile(OPENDKIM_CONF, confAfter, planText('opendkimConf'), {
    owner: 'root',
    group: 'root',
    mode: '0644',
    expectAny: !confFile?.exists && install.length > 0,
  });

  // Postfix main.cf: the milter in both lists, default action accept, protocol 6.
  const dmarcSocketSpec = readOpendkimConf(fileText(state, OPENDMARC_CONF)).get('socket');
  const dmarcSocket = dmarcSocketSpec === undefined ? null : parseOpendkimSocket(dmarcSocketSpec);
  const dmarcMilter = dmarcSocket === null ? null : milterForSocket(dmarcSocket, chroot);
  const listed = [...splitPostfixList(main.get('smtpd_milters') ?? ''), ...splitPostfixList(main.get('non_smtpd_milters') ?? '')];
  const opendmarc = [...(dmarcMilter === null ? [] : [dmarcMilter]), ...listed.filter((m) => /opendmarc/i.test(m))];
  const edits: ParameterEdit[] = [];
  // A list written with references (`non_smtpd_milters = $smtpd_milters`) is judged by what it
  // expands to, after this plan's own edits: when that already has OpenDKIM in place it stays as
  // written (adding OpenDKIM beside the reference would run it twice on the same message).
  const after = new Map<string, string>();
  const lookup = (name: string) => after.get(name) ?? main.get(name);
  for (const name of ['smtpd_milters', 'non_smtpd_milters']) {
    const current = main.get(name) ?? '';
    const expanded = expandReferences(current, lookup);
    const fine = expanded !== current && mergeMilters({ current: expanded, opendkim: sock.milter, formerOpendkim: sock.former, opendmarc }) === expanded.trim();
    const merged = fine ? current.trim() : mergeMilters({ current, opendkim: sock.milter, formerOpendkim: sock.former, opendmarc });
    after.set(name, merged);
    if (merged !== current.trim()) edits.push({ name, value: merged });
  }
  if (main.get('milter_default_action') !== 'accept') edits.push({ name: 'milter_default_action', value: 'accept' });
  if (main.get('milter_protocol') !== '6') edits.push({ name: 'milter_protocol', value: '6' });
  if (edits.length > 0) {
    addFile(MAIN_CF, setParameters(mainText, edits), planText('mainCf'), {
      owner: 'root',
      group: 'root',
      mode: '0644',
    });
  }

  // Report addresses of this server's own domains → the chosen local user.
  const locals = localDomains(main);
  const aliasWanted: Array<{ name: string; target: string }> = [];
  const aliasesNow = readAliases(fileText(state, ALIASES));
  for (const raw of [...settings.rua, ...settings.ruf]) {
    const address = mailtoAddress(raw);
    const at = address.lastIndexOf('@');
    if (at <= 0) continue;
    const local = address.slice(0, at).toLowerCase();
    const addrDomain = address.slice(at + 1).toLowerCase();
    if (!locals.has(addrDomain)) {
      notes.push(planText('reportNotLocal', { address }));
      continue;
    }
    if (local === settings.reportTo.toLowerCase() || state.users.includes(local)) continue;
    if (!/^[a-z0-9][a-z0-9._+-]*$/.test(local)) {
      notes.push(planText('aliasUnusual', { address }));
      continue;
    }
    if (aliasesNow.has(local)) {
      const target = (aliasesNow.get(local) ?? []).join(', ');
      if (target !== settings.reportTo) notes.push(planText('aliasKept', { name: local, target }));
      continue;
    }
    if (!aliasWanted.some((a) => a.name === local)) aliasWanted.push({ name: local, target: settings.reportTo });
  }
  let aliasesChanged = false;
  if (aliasWanted.length > 0) {
    const before = fileText(state, ALIASES);
    const after = editAliases(before, aliasWanted);
    aliasesChanged = after !== before;
    addFile(ALIASES, after, planText('aliases', {
      names: aliasWanted.map((a) => a.name).join(', '),
      user: settings.reportTo,
    }), { owner: 'root', group: 'root', mode: '0644' });
  }

  // Validation, reloads and what rollback runs afterwards.
  const env = { systemd: state.systemd, initScripts: state.initScripts };
  const confChanged = files.some((f) => f.path !== MAIN_CF && f.path !== ALIASES);
  const socketChanged = conf.get('socket') !== sock.spec;
  let opendkimAction: ServiceAction | null = null;
  if (install.length > 0 || socketChanged || !state.running.opendkim) opendkimAction = 'restart';
  else if (confChanged) opendkimAction = 'reload';
  const mainChanged = files.some((f) => f.path === MAIN_CF);
  const postfixAction: 'start' | 'reload' | null = !state.running.postfix ? 'start' : mainChanged ? 'reload' : null;

  const validate: ServerCommand[] = [
    { label: 'opendkim -n', argv: ['opendkim', '-n', '-x', OPENDKIM_CONF], words: planText('validateOpendkim') },
    { label: 'postfix check', argv: ['postfix', 'check'], words: planText('validatePostfix') },
  ];
  const services: ServerCommand[] = [];
  if (opendkimAction) {
    services.push({
      label: `${opendkimAction} opendkim`,
      argv: serviceCommand(env, 'opendkim', opendkimAction),
      words: planText(`${opendkimAction}Service`, { service: 'OpenDKIM' }),
    });
  }
  if (postfixAction) {
    services.push({
      label: `${postfixAction} postfix`,
      argv: postfixCommand(env, postfixAction),
      words: planText(`${postfixAction}Service`, { service: 'Postfix' }),
    });
  }
  const rollbackServices: ServerCommand[] = [];
  if (install.length === 0 && opendkimAction) {
    const back: ServiceAction = state.running.opendkim ? 'restart' : 'stop';
    rollbackServices.push({ label: `${back} opendkim`, argv: serviceCommand(env, 'opendkim', back), words: planText('rollbackOpendkim') });
  }
  if (state.running.postfix && mainChanged) rollbackServices.push({ label: 'reload postfix', argv: postfixCommand(env, 'reload'), words: planText('rollbackPostfix') });

  const changed = files.length > 0 || dirs.length > 0 || install.length > 0 || services.length > 0;
  return {
    files,
    dirs,
    install,
    uninstall: confFile?.exists ? 'remove' : 'purge',
    aliasesChanged,
    validate,
    services,
    rollbackServices,
    socket: sock.spec,
    milter: sock.milter,
    healthSocket: sock.socket.kind === 'inet' ? { kind: 'inet', port: sock.socket.port } : { kind: 'local', path: sock.socket.path },
    healthMail: { from: `postmaster@${domain}`, to: settings.reportTo, domain, selectors: settings.keys.map((k) => k.selector) },
    healthRelay: null,
    healthCertificate: null,
    notes,
    changed,
  };
}
