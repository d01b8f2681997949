import { posix } from 'node:path';
import { keyedError } from '../../../shared/errors.js';
import { planText } from '../../../shared/i18n/english.js';
import { TLS_AT_LEAST_MAY } from '../../../shared/outbound.js';
import type { PlanText } from '../../../shared/plan.js';
import { readMainCf, setParameters, type ParameterEdit } from '../../server/config/mainCf.js';
import { emptyChangeSet, desiredFile, fileText, type ChangeRequest, type ChangeSet, type ServerCommand, type ServerState } from '../../server/engine/index.js';
import { MAIN_CF } from '../../server/platform/paths.js';
import { PLATFORMS } from '../../server/platform/platforms.js';
import { postfixServiceCommands } from '../relay/changes.js';

/**
 * TLS as a change set for the change engine: outbound at least opportunistic
 * (`smtp_tls_security_level = may` where it is unset or `none`; a stricter level stays), and,
 * when the person chooses it, smtpd's certificate and key switched to an existing Let's
 * Encrypt certificate (fullchain.pem / privkey.pem under /etc/letsencrypt/live/NAME/).
 */
export interface LetsEncryptFiles {
  fullchain: string;
  privkey: string;
}

export interface TlsSettings {
  letsEncrypt: LetsEncryptFiles | null;
}

const LIVE_DIRECTORIES = [...new Set(PLATFORMS.map((p) => p.tls.letsEncryptLive))];
const LIVE = LIVE_DIRECTORIES.join(', ');
const bad = (field: string, key: string, params: Record<string, string>) =>
  keyedError('bad-input', { key, params }, { hint: { key: 'tlsChooseCertificate', params: { live: LIVE, field: 'use-letsencrypt' } }, details: { field } });

/** The files certbot keeps for the certificate NAME (the directory name under live/). */
export function letsEncryptFilesOf(name: string): LetsEncryptFiles {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || name.includes('..')) throw bad('use-letsencrypt', 'tlsCertificateName', { name: JSON.stringify(name), live: LIVE });
  const live = LIVE_DIRECTORIES[0] ?? '/etc/letsencrypt/live';
  return { fullchain: `${live}/${name}/fullchain.pem`, privkey: `${live}/${name}/privkey.pem` };
}

/** Refuses certificate paths outside /etc/letsencrypt/live (after resolving `..`). */
export function checkLetsEncryptFiles(files: LetsEncryptFiles): LetsEncryptFiles {
  for (const [field, path] of [['fullchain', files.fullchain], ['privkey', files.privkey]] as const) {
    const normal = posix.normalize(path);
    if (!posix.isAbsolute(path) || normal !== path || !LIVE_DIRECTORIES.some((dir) => normal.startsWith(`${dir}/`)) || /[\s"'\\$`]/.test(path)) {
      throw bad(field, 'tlsCertificateOutside', { path, live: LIVE });
    }
  }
  return files;
}

export function tlsGatherPaths(settings: TlsSettings): string[] {
  return settings.letsEncrypt === null ? [MAIN_CF] : [MAIN_CF, settings.letsEncrypt.fullchain, `secret:${settings.letsEncrypt.privkey}`];
}

export function computeTlsChanges(state: ServerState, settings: TlsSettings): ChangeSet {
  const mainBefore = fileText(state, MAIN_CF);
  const values = readMainCf(mainBefore);
  const wanted: ParameterEdit[] = [];
  const notes: PlanText[] = [];
  const whys: PlanText[] = [];

  const level = (values.get('smtp_tls_security_level') ?? '').trim();
  if (!TLS_AT_LEAST_MAY.has(level)) {
    wanted.push({ name: 'smtp_tls_security_level', value: 'may' });
    whys.push(planText('tlsOutboundMay'));
  }
  const le = settings.letsEncrypt;
  if (le !== null) {
    for (const path of [le.fullchain, le.privkey]) {
      if (state.files.get(path)?.exists !== true) throw bad('use-letsencrypt', 'tlsCertificateMissing', { path });
    }
    wanted.push({ name: 'smtpd_tls_cert_file', value: le.fullchain }, { name: 'smtpd_tls_key_file', value: le.privkey });
    // smtpd_tls_chain_files wins over cert_file/key_file where set: it has to go.
    if (values.has('smtpd_tls_chain_files')) wanted.push({ name: 'smtpd_tls_chain_files', value: '' });
    const inbound = (values.get('smtpd_tls_security_level') ?? '').trim();
    if (inbound === '' || inbound === 'none') wanted.push({ name: 'smtpd_tls_security_level', value: 'may' });
    whys.push(planText('tlsInboundCertificate', { certificate: le.fullchain }));
  }

  const edits = wanted.filter((e) => (values.get(e.name) ?? '').trim() !== e.value);
  const mainAfter = edits.length === 0 ? mainBefore : setParameters(mainBefore, edits);
  const files = [];
  if (mainAfter !== mainBefore) {
    const why = whys.length === 1 && whys[0] ? whys[0] : planText('tlsBoth', { certificate: le?.fullchain ?? '' });
    const file = desiredFile(state, MAIN_CF, mainAfter, why, { owner: 'root', group: 'root', mode: '0644' });
    if (file) files.push(file);
  } else {
    notes.push(planText('tlsNothing'));
  }

  const validate: ServerCommand[] = [];
  if (le !== null && files.length > 0) {
    validate.push({
      label: 'certificate key',
      argv: ['sh', '-c', 'a=$(openssl x509 -noout -pubkey -in "$1" | sha256sum) && b=$(openssl pkey -pubout -in "$2" | sha256sum) && [ "$a" = "$b" ] && echo match', 'tls-key', le.fullchain, le.privkey],
      words: planText('validateCertificateKey'),
      expect: 'match',
    });
  }
  validate.push({ label: 'postfix check', argv: ['postfix', 'check'], words: planText('validatePostfix') });
  const changed = files.length > 0;
  // Only a switch of smtpd's certificate is checked end to end (what port 25 presents).
  const healthCertificate = le !== null && edits.some((e) => e.name.startsWith('smtpd_')) ? { certificate: le.fullchain } : null;
  const { services, rollbackServices } = postfixServiceCommands(state, changed);
  return { ...emptyChangeSet(), files, uninstall: 'purge', validate, services, rollbackServices, healthCertificate, notes, changed };
}

export function tlsRequest(domain: string, settings: TlsSettings): ChangeRequest {
  return { paths: tlsGatherPaths(settings), domain, compute: (state) => computeTlsChanges(state, settings) };
}
