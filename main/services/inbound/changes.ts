import { planText } from '../../../shared/i18n/english.js';
import type { AllowEntry } from '../../../shared/inbound.js';
import type { PlanText } from '../../../shared/plan.js';
import { readMainCf, setParameters, type ParameterEdit } from '../../server/config/mainCf.js';
import { emptyChangeSet, desiredFile, fileText, type ChangeRequest, type ChangeSet, type DesiredFile, type ServerCommand, type ServerState } from '../../server/engine/index.js';
import { MAIN_CF } from '../../server/platform/paths.js';
import { postfixCommand } from '../../server/platform/serviceCommands.js';
import { ALLOW_CIDR_MAP, ALLOW_CIDR_PATH, ALLOW_REGEXP_MAP, ALLOW_REGEXP_PATH, assertAllowEntries, buildAllowMaps } from './allowMap.js';
import { allowRestrictions, applyHostnameRule, findBlocklists, removeBlocklists } from './restrictions.js';
import { dictionary } from '../../../shared/dictionary.js';

/**
 * Inbound rule changes as a change set for the change engine (same plan, diff, backup,
 * `postfix check`, reload and rollback as the DKIM changes): dead blocklists removed, the
 * client host-name rule set with its allowlist before it.
 */
export interface InboundChangeSettings {
  /** Zones of the blocklists to remove (the dead ones from checkInbound). */
  removeLists: readonly string[];
  /** `keep` leaves the host-name rule alone. */
  hostnameRule: 'keep' | 'reverse' | 'strict';
  allow: readonly AllowEntry[];
}

export function inboundGatherPaths(): string[] {
  return [MAIN_CF, ALLOW_REGEXP_PATH, ALLOW_CIDR_PATH];
}

export function computeInboundChanges(state: ServerState, settings: InboundChangeSettings): ChangeSet {
  const maps = buildAllowMaps(settings.allow, settings.hostnameRule === 'reverse' ? 'reject_unknown_reverse_client_hostname' : 'reject_unknown_client_hostname');
  assertAllowEntries(maps);
  const mainBefore = fileText(state, MAIN_CF);
  const values = readMainCf(mainBefore);
  const edits: ParameterEdit[] = [];
  const notes: PlanText[] = [];
  const dead = new Set(settings.removeLists.map((z) => z.toLowerCase()));
  const settingsRecord = Object.assign(dictionary<string>(), Object.fromEntries(values));
  const current = new Map<string, string>();
  for (const use of findBlocklists(settingsRecord)) {
    if (!dead.has(use.zone)) continue;
    const value = current.get(use.parameter) ?? settingsRecord[use.parameter] ?? '';
    current.set(use.parameter, removeBlocklists(use.parameter, value, dead));
  }
  for (const zone of dead) {
    if (!findBlocklists(settingsRecord).some((u) => u.zone === zone)) notes.push(planText('inboundListAbsent', { zone }));
  }

  const files: DesiredFile[] = [];
  const addFile = (path: string, content: string, why: PlanText) => {
    const file = desiredFile(state, path, content, why, { owner: 'root', group: 'root', mode: '0644' });
    if (file) files.push(file);
  };

  const allow = allowRestrictions({ regexp: maps.regexp === null ? null : ALLOW_REGEXP_MAP, cidr: maps.cidr === null ? null : ALLOW_CIDR_MAP });
  if (settings.hostnameRule !== 'keep') {
    const client = current.get('smtpd_client_restrictions') ?? settingsRecord['smtpd_client_restrictions'];
    const edit = applyHostnameRule(client, { strict: settings.hostnameRule === 'strict', allow, ourMaps: [ALLOW_REGEXP_MAP, ALLOW_CIDR_MAP], ruleInMap: maps.regexp !== null });
    if (edit.changed) current.set('smtpd_client_restrictions', edit.value);
    if (maps.regexp !== null) addFile(ALLOW_REGEXP_PATH, maps.regexp, planText('inboundAllowRegexp'));
    if (maps.cidr !== null) addFile(ALLOW_CIDR_PATH, maps.cidr, planText('inboundAllowCidr'));
  }
  for (const [name, value] of current) if ((settingsRecord[name] ?? '') !== value) edits.push({ name, value });
  const mainAfter = edits.length === 0 ? mainBefore : setParameters(mainBefore, edits);
  if (mainAfter !== mainBefore) {
    const removed = [...dead].filter((z) => findBlocklists(settingsRecord).some((u) => u.zone === z));
    // One catalog sentence per combination: the wizard and the CLI translate it whole.
    const ruleKey = settings.hostnameRule === 'keep' ? '' : settings.hostnameRule === 'strict' ? 'Strict' : 'Reverse';
    const key = `inboundMainCf${removed.length > 0 ? 'Lists' : ''}${ruleKey}`;
    addFile(MAIN_CF, mainAfter, planText(key, { zones: removed.join(', ') }));
  }

  const validate: ServerCommand[] = [{ label: 'postfix check', argv: ['postfix', 'check'], words: planText('validatePostfix') }];
  if (settings.hostnameRule !== 'keep') {
    for (const probe of maps.probes) {
      validate.push({
        label: `postmap -q ${probe.value}`,
        // The answer counts, not only the exit status: a pattern that also matches "unknown"
        // would switch the host-name rule off, and a line Postfix cannot read only draws a
        // warning (on stderr, so it is folded into the answer), while postmap still exits 0.
        argv: ['sh', '-c', 'exec postmap -q "$1" "$2" 2>&1', 'postmap', probe.value, probe.map],
        expect: probe.expect,
        words: planText('validateAllowlist', { value: probe.value, expect: probe.expect }),
      });
    }
  }
  const env = { systemd: state.systemd, initScripts: state.initScripts };
  const mainChanged = files.some((f) => f.path === MAIN_CF);
  const services: ServerCommand[] = [];
  if (files.length > 0) {
    const action = state.running.postfix ? 'reload' : 'start';
    services.push({ label: `${action} postfix`, argv: postfixCommand(env, action), words: planText(`${action}Service`, { service: 'Postfix' }) });
  }
  const rollbackServices: ServerCommand[] =
    state.running.postfix && (mainChanged || files.length > 0) ? [{ label: 'reload postfix', argv: postfixCommand(env, 'reload'), words: planText('rollbackPostfix') }] : [];
  return { ...emptyChangeSet(), files, validate, services, rollbackServices, notes, changed: files.length > 0 };
}

export function inboundRequest(domain: string, settings: InboundChangeSettings): ChangeRequest {
  return { paths: inboundGatherPaths(), domain, compute: (state) => computeInboundChanges(state, settings) };
}
