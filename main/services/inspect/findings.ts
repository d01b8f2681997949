import en from '../../../renderer/src/locales/en.json' with { type: 'json' };
import { englishText } from '../../../shared/i18n/english.js';
import type { Finding, FindingSeverity, Inspection } from '../../../shared/inspection.js';
import { findPlatform } from '../../server/platform/platforms.js';
import { milterMatchesSocket } from './opendkimConfig.js';

/** A finding: a key under `findings.` in the catalogs. */
export type FindingKey = Exclude<keyof typeof en.findings, 'title' | 'intro' | 'inspecting' | 'notConnected' | 'none' | 'again' | 'nothingChanged' | 'factsHeading' | 'unknown' | 'heading' | 'fact' | 'privilege'>;

export function finding(key: FindingKey, severity: FindingSeverity, params: Record<string, string | number> = {}): Finding {
  return { key, severity, params, text: englishText('findings', key, params) };
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
    else if (key.selector === null) {
      // A key file no KeyTable entry or KeyFile names (the old key after a move to a new one): it signs nothing.
      out.push(finding('keyUnused', 'info', { path: key.path }));
    } else {
      if (key.keyType === 'rsa' && key.bits !== null && key.bits < 2048) out.push(finding('keyWeak', 'problem', { path: key.path, bits: key.bits }));
      if (opendkim.requireSafeKeys) for (const problem of key.safety) out.push(finding('keyUnsafe', 'problem', { path: key.path, ...problem.params, problem: problem.key }));
    }
  }
  if (postfix && postfix.contentFilters.length > 0) out.push(finding('contentFilter', 'info', { filters: postfix.contentFilters.map((f) => (f.service ? `${f.value} (${f.service})` : f.value)).join(', ') }));
  if (postfix && postfix.rblClients.length > 0) out.push(finding('rblList', 'info', { rbls: postfix.rblClients.join(', ') }));
  if (postfix && !postfix.hasNewaliases) out.push(finding('noNewaliases', 'warning'));
  out.push(finding('adspUnknown', 'info'));
  return out;
}
