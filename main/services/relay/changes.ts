import { lookupTableLine } from '../../server/config/lookupTable.js';
import { planText } from '../../../shared/i18n/english.js';
import { TLS_AT_LEAST_MAY } from '../../../shared/outbound.js';
import type { PlanText } from '../../../shared/plan.js';
import { relayhostValue, type RelayTarget } from '../../../shared/relay.js';
import { readMainCf, setParameters, type ParameterEdit } from '../../server/config/mainCf.js';
import { emptyChangeSet, desiredFile, fileText, removedFile, type ChangeRequest, type ChangeSet, type DesiredFile, type ServerCommand, type ServerState } from '../../server/engine/index.js';
import { MAIN_CF, SASL_PASSWORD_MAP } from '../../server/platform/paths.js';
import { postfixCommand } from '../../server/platform/serviceCommands.js';

/**
 * Relaying through a smarthost as a change set for the change engine: main.cf's relayhost,
 * SASL login and TLS, the login table (root-only 0600, built with postmap), and a health check
 * that proves Postfix logs in to the relay; or, to remove it, the same parameters back to
 * direct delivery. The password travels only in the table's content (the bundle, stdin).
 */
export type RelaySettings =
  | {
      kind: 'set';
      target: RelayTarget;
      user: string;
      password: string;
      /** A remote address the health check asks the relay about (nothing is sent). */
      probeRecipient: string;
    }
  | { kind: 'remove' };

export function relayGatherPaths(): string[] {
  // The .db of every row's table type (hash, see the platform table): --remove deletes it.
  return [MAIN_CF, `secret:${SASL_PASSWORD_MAP}`, `secret:${databaseFile('hash', SASL_PASSWORD_MAP)}`];
}

/** The login table's one line: `[host]:port user:password` (smtp_sasl_password_maps looks up the relayhost value). */
export function passwordTable(target: RelayTarget, user: string, password: string): string {
  return `${lookupTableLine(relayhostValue(target), `${user}:${password}`)}\n`;
}

export function computeRelayChanges(state: ServerState, settings: RelaySettings): ChangeSet {
  const mainBefore = fileText(state, MAIN_CF);
  const values = readMainCf(mainBefore);
  const mapType = state.platform.postfix.databaseType;
  const wanted: ParameterEdit[] = [];
  const files: DesiredFile[] = [];
  const notes: PlanText[] = [];
  const install: string[] = [];
  let relayLabel = '';

  if (settings.kind === 'set') {
    relayLabel = relayhostValue(settings.target);
    const wrapper = settings.target.port === 465;
    wanted.push(
      { name: 'relayhost', value: relayLabel },
      { name: 'smtp_sasl_auth_enable', value: 'yes' },
      { name: 'smtp_sasl_password_maps', value: `${mapType}:${SASL_PASSWORD_MAP}` },
      { name: 'smtp_sasl_security_options', value: 'noanonymous' },
      { name: 'smtp_tls_security_level', value: 'encrypt' },
    );
    if (wrapper || values.has('smtp_tls_wrappermode')) wanted.push({ name: 'smtp_tls_wrappermode', value: wrapper ? 'yes' : 'no' });
    const table = desiredFile(state, SASL_PASSWORD_MAP, passwordTable(settings.target, settings.user, settings.password), planText('relayPasswordFile'), {
      owner: 'root',
      group: 'root',
      mode: '0600',
      secret: 'password',
    });
    if (table) files.push(table);
    const sasl = state.platform.postfix.saslClientPackage;
    if (state.packages[sasl] === false) install.push(sasl);
    if (values.has('sender_dependent_relayhost_maps')) notes.push(planText('relaySenderDependent'));
  } else {
    wanted.push({ name: 'relayhost', value: '' }, { name: 'smtp_sasl_auth_enable', value: 'no' }, { name: 'smtp_sasl_password_maps', value: '' });
    if (values.has('smtp_tls_wrappermode')) wanted.push({ name: 'smtp_tls_wrappermode', value: 'no' });
    // No password stays on the server once the relay is gone (the backup keeps it for a rollback).
    for (const path of [SASL_PASSWORD_MAP, databaseFile(mapType, SASL_PASSWORD_MAP)]) {
      const gone = removedFile(state, path, planText('relayPasswordDeleted'), true);
      if (gone) files.push({ ...gone, password: true });
    }
  }
  // Outbound TLS at least opportunistic: with a relay it is required (above), without one `may`.
  const level = (values.get('smtp_tls_security_level') ?? '').trim();
  if (settings.kind === 'remove' && (level === 'encrypt' || !TLS_AT_LEAST_MAY.has(level))) wanted.push({ name: 'smtp_tls_security_level', value: 'may' });

  const edits = wanted.filter((e) => (values.get(e.name) ?? '') !== e.value);
  const mainAfter = edits.length === 0 ? mainBefore : setParameters(mainBefore, edits);
  if (mainAfter !== mainBefore) {
    const why =
      settings.kind === 'set'
        ? planText('relayMainCf', { relay: relayLabel })
        : planText('relayMainCfRemove');
    const file = desiredFile(state, MAIN_CF, mainAfter, why, { owner: 'root', group: 'root', mode: '0644' });
    if (file) files.push(file);
  }

  const tableChanged = files.some((f) => f.path === SASL_PASSWORD_MAP && f.remove !== true);
  const validate: ServerCommand[] = [];
  if (tableChanged) {
    validate.push({
      label: 'postmap',
      argv: ['sh', '-c', 'umask 077 && exec postmap "$1"', 'postmap', `${mapType}:${SASL_PASSWORD_MAP}`],
      words: planText('relayPostmap', { table: `${mapType}:${SASL_PASSWORD_MAP}` }),
    });
  }
  validate.push({ label: 'postfix check', argv: ['postfix', 'check'], words: planText('validatePostfix') });
  const changed = files.length > 0 || install.length > 0;
  const { services, rollbackServices } = postfixServiceCommands(state, changed);
  return {
    ...emptyChangeSet(),
    files,
    install,
    uninstall: 'purge',
    validate,
    services,
    rollbackServices,
    generated: tableChanged ? [databaseFile(mapType, SASL_PASSWORD_MAP)] : [],
    healthRelay: settings.kind === 'set' ? { recipient: settings.probeRecipient, relay: relayLabel } : null,
    notes,
    changed,
  };
}

/** For a change that touches only Postfix: reload it (start it when stopped), and reload it again after a rollback. */
export function postfixServiceCommands(state: ServerState, changed: boolean): { services: ServerCommand[]; rollbackServices: ServerCommand[] } {
  const env = { systemd: state.systemd, initScripts: state.initScripts };
  const action = state.running.postfix ? 'reload' : 'start';
  return {
    services: changed ? [{ label: `${action} postfix`, argv: postfixCommand(env, action), words: planText(`${action}Service`, { service: 'Postfix' }) }] : [],
    rollbackServices: changed && state.running.postfix ? [{ label: 'reload postfix', argv: postfixCommand(env, 'reload'), words: planText('rollbackPostfix') }] : [],
  };
}

/** The file postmap writes for a table of this type (hash/btree: .db, lmdb: .lmdb, cdb: .cdb). */
export function databaseFile(type: string, path: string): string {
  return `${path}.${type === 'hash' || type === 'btree' ? 'db' : type}`;
}

export function relayRequest(domain: string, settings: RelaySettings): ChangeRequest {
  return { paths: relayGatherPaths(), domain, compute: (state) => computeRelayChanges(state, settings) };
}
