import type { Finding, FindingSeverity, Inspection } from '../../../shared/inspection.js';
import { findPlatform } from '../../server/platform/platforms.js';
import { milterMatchesSocket } from './opendkimConfig.js';

/**
 * The English sentence of each finding, with `{name}` placeholders. The wizard shows the
 * same keys from renderer/src/locales (findings.<key>), so keep the two in step.
 */
export const findingTexts = {
  postfixMissing: 'Postfix is not installed on this server.',
  postfixStopped: 'Postfix is installed but not running.',
  postfixVersion: 'Postfix {version} is installed; this server calls itself {myhostname}.',
  opendkimMissing: 'OpenDKIM is not installed: mail from this server is not signed. Homemail can install it.',
  opendkimStopped: 'OpenDKIM is installed but not running.',
  opendkimUnconfigured: 'OpenDKIM is installed but has no signing key configured.',
  opendkimSingleKey: 'OpenDKIM is configured for one domain ({domain}, selector {selector}) on {socket}.',
  opendkimKeyTable: 'OpenDKIM signs for {count} domain(s) ({domains}) with a key table, on {socket}.',
  opendkimNotUsed: 'Postfix does not pass mail to OpenDKIM ({socket}): mail is not signed.',
  sendmailUnsigned: 'Mail from sendmail (cron, scripts, webmail) is not signed: non_smtpd_milters does not include OpenDKIM.',
  milterTempfail: 'If OpenDKIM stops, Postfix holds incoming mail back (milter_default_action = {action}); “accept” keeps mail flowing.',
  chrootSocket: 'smtpd runs chrooted in {queue}, so it cannot reach the socket {socket}.',
  keyMissing: 'The key file {path} named in the OpenDKIM configuration does not exist.',
  keyWeak: 'The DKIM key {path} is only {bits} bits; receivers expect at least 2048 (RFC 8301).',
  keyUnsafe: 'OpenDKIM will refuse the key {path} (RequireSafeKeys): {problems}.',
  ed25519Supported: 'This OpenDKIM ({version}) can add an Ed25519 signature beside the RSA one.',
  ed25519Unsupported: 'This OpenDKIM cannot add an Ed25519 signature beside the RSA one (it needs a release after 2.11.0 Beta2 built with Ed25519); RSA alone will be used.',
  otherMilters: 'Other milters are in use and will be kept: {milters}.',
  contentFilter: 'Mail also passes a content filter that will be kept: {filters}.',
  rblList: 'Blocklists checked for incoming mail: {rbls}. The inbound step tests whether they still answer.',
  noNewaliases: 'newaliases is missing, so report addresses cannot be added to /etc/aliases.',
  adspUnknown: 'Whether an old ADSP record is published is checked with the DNS records.',
  platformHostTested: 'This server runs {name}, which Homemail is tested on.',
  platformDocumented: 'This server runs {name}, which Homemail supports from its packages\' documentation (not tested on a real server).',
  platformUnsupported: 'This server runs {system}, which Homemail does not support: it can be inspected, but plan and apply refuse to change it.',
} as const;

export type FindingKey = keyof typeof findingTexts;

export function finding(key: FindingKey, severity: FindingSeverity, params: Record<string, string | number> = {}): Finding {
  const text = findingTexts[key].replace(/\{(\w+)\}/g, (all, name: string) => (name in params ? String(params[name]) : all));
  return { key, severity, params, text };
}

export function buildFindings(inspection: Omit<Inspection, 'findings'>): Finding[] {
  const out: Finding[] = [];
  const { postfix, opendkim } = inspection;
  const platform = findPlatform(inspection.os);
  if (platform === null) out.push(finding('platformUnsupported', 'problem', { system: inspection.os.prettyName ?? ([inspection.os.id, inspection.os.versionId].filter((v) => v !== null).join(' ') || '?') }));
  else out.push(finding(platform.tested === 'host' ? 'platformHostTested' : 'platformDocumented', 'info', { name: platform.name }));
  if (!postfix) out.push(finding('postfixMissing', 'problem'));
  else {
    out.push(finding('postfixVersion', 'info', { version: postfix.version ?? '?', myhostname: postfix.myhostname ?? '?' }));
    if (!postfix.running) out.push(finding('postfixStopped', 'warning'));
  }
  const socket = opendkim.socketAsMilter ?? opendkim.socket ?? '?';
  if (!opendkim.installed) out.push(finding('opendkimMissing', 'problem'));
  else {
    if (!opendkim.running) out.push(finding('opendkimStopped', 'warning'));
    if (opendkim.mode === 'none') out.push(finding('opendkimUnconfigured', 'warning'));
    if (opendkim.mode === 'single-key') {
      const key = opendkim.keys.find((k) => k.domain !== null);
      out.push(finding('opendkimSingleKey', 'info', { domain: opendkim.domains.join(', ') || '?', selector: key?.selector ?? opendkim.settings.Selector ?? '?', socket }));
    }
    if (opendkim.mode === 'key-table') out.push(finding('opendkimKeyTable', 'info', { count: opendkim.domains.length, domains: opendkim.domains.join(', '), socket }));
    if (opendkim.canSignEd25519 === true) out.push(finding('ed25519Supported', 'info', { version: opendkim.version ?? '?' }));
    if (opendkim.canSignEd25519 === false) out.push(finding('ed25519Unsupported', 'info'));
  }
  if (postfix && opendkim.installed && opendkim.mode !== 'none' && opendkim.socketAsMilter) {
    const dkim = opendkim.socketAsMilter;
    const smtpdUses = postfix.milters.some((m) => m.source === 'smtpd_milters' && milterMatchesSocket(m.value, dkim));
    const sendmailUses = postfix.milters.some((m) => m.source === 'non_smtpd_milters' && milterMatchesSocket(m.value, dkim));
    if (!smtpdUses) out.push(finding('opendkimNotUsed', 'problem', { socket: dkim }));
    else if (!sendmailUses) out.push(finding('sendmailUnsigned', 'problem'));
    if (postfix.smtpdChroot === true && dkim.startsWith('unix:') && postfix.queueDirectory && !dkim.slice(5).startsWith(`${postfix.queueDirectory}/`)) {
      out.push(finding('chrootSocket', 'problem', { queue: postfix.queueDirectory, socket: dkim.slice(5) }));
    }
    const others = postfix.milters.filter((m) => !milterMatchesSocket(m.value, dkim)).map((m) => m.value);
    if (others.length > 0) out.push(finding('otherMilters', 'info', { milters: [...new Set(others)].join(', ') }));
  } else if (postfix && postfix.milters.length > 0) {
    out.push(finding('otherMilters', 'info', { milters: [...new Set(postfix.milters.map((m) => m.value))].join(', ') }));
  }
  if (postfix && postfix.milters.length > 0 && postfix.milterDefaultAction !== 'accept') {
    out.push(finding('milterTempfail', 'warning', { action: postfix.milterDefaultAction ?? 'tempfail' }));
  }
  for (const key of opendkim.keys) {
    if (!key.exists) out.push(finding('keyMissing', 'problem', { path: key.path }));
    else {
      if (key.keyType === 'rsa' && key.bits !== null && key.bits < 2048) out.push(finding('keyWeak', 'problem', { path: key.path, bits: key.bits }));
      if (opendkim.requireSafeKeys && key.safetyProblems.length > 0) out.push(finding('keyUnsafe', 'problem', { path: key.path, problems: key.safetyProblems.join('; ') }));
    }
  }
  if (postfix && postfix.contentFilters.length > 0) out.push(finding('contentFilter', 'info', { filters: postfix.contentFilters.map((f) => (f.service ? `${f.value} (${f.service})` : f.value)).join(', ') }));
  if (postfix && postfix.rblClients.length > 0) out.push(finding('rblList', 'info', { rbls: postfix.rblClients.join(', ') }));
  if (postfix && !postfix.hasNewaliases) out.push(finding('noNewaliases', 'warning'));
  out.push(finding('adspUnknown', 'info'));
  return out;
}
