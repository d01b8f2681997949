/**
 * Relaying outgoing mail through a smarthost (an ISP's submission server or a mail service)
 * when the home server cannot or should not deliver directly: presets for widely used
 * services and the checks on what people type. Pure data and functions (the renderer, the
 * contract and the CLI share them). The password is never part of anything here.
 */
import { normalizeDomain } from './validation/domain.js';
import { parseIpAddress } from './validation/ip.js';
import { findControlCharacter } from './validation/text.js';
import { invalid, problem, valid, type Validated, type ValidationProblem } from './validation/problem.js';

export type RelayPresetId = 'generic' | 'sendgrid' | 'mailgun' | 'brevo' | 'google' | 'microsoft365';

export interface RelayPreset {
  id: RelayPresetId;
  /** Shown as is (a product name). */
  name: string;
  /** The documented submission host; '' for the generic form (the person types the ISP's). */
  host: string;
  port: number;
  /** The SPF `include:` the service documents, 'unknown' where its documentation says none. */
  spfInclude: string | 'unknown';
  /** What the service documents as the login name ('' when it is the person's own account). */
  userHint: string;
  /** Where host, port and SPF include come from. */
  sources: readonly string[];
  /** A documented limit the person should know before choosing it: a catalog key under relay.caveat. */
  caveat?: 'appPassword' | 'basicAuthRetiring';
}

/**
 * Each preset's host, port and SPF include as its provider documents them (sources listed);
 * "unknown" where the documentation names no SPF include. Ports: 587 with STARTTLS
 * everywhere (every provider below documents it); 465 is wrapper mode.
 */
export const RELAY_PRESETS: readonly RelayPreset[] = [
  { id: 'generic', name: 'ISP / other', host: '', port: 587, spfInclude: 'unknown', userHint: '', sources: ['the ISP\'s own page for its submission server (host, port 587, login)'] },
  {
    id: 'sendgrid',
    name: 'SendGrid',
    host: 'smtp.sendgrid.net',
    port: 587,
    spfInclude: 'sendgrid.net',
    userHint: 'apikey',
    sources: [
      'https://www.twilio.com/docs/sendgrid/for-developers/sending-email/integrating-with-the-smtp-api (smtp.sendgrid.net, port 587 with TLS, user "apikey")',
      'https://www.twilio.com/docs/sendgrid/ui/account-and-settings/spf-records (include:sendgrid.net)',
    ],
  },
  {
    id: 'mailgun',
    name: 'Mailgun',
    host: 'smtp.mailgun.org',
    port: 587,
    spfInclude: 'mailgun.org',
    userHint: '',
    sources: ['https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/send-smtp (smtp.mailgun.org, 587)', 'https://documentation.mailgun.com/docs/mailgun/user-manual/domains/ (SPF include:mailgun.org)'],
  },
  {
    id: 'brevo',
    name: 'Brevo',
    host: 'smtp-relay.brevo.com',
    port: 587,
    // Brevo's own pages read here name the SMTP ports but no SPF include (its mail's Return-Path
    // is a Brevo domain), so: unknown until its documentation says otherwise.
    spfInclude: 'unknown',
    userHint: '',
    sources: ['https://developers.brevo.com/docs/smtp-integration (ports 587 or 2525, 465 with TLS; an SMTP key, not the API key)', 'Brevo\'s SMTP & API settings page (host smtp-relay.brevo.com, the login e-mail)'],
  },
  {
    id: 'google',
    name: 'Gmail / Google Workspace',
    host: 'smtp.gmail.com',
    port: 587,
    spfInclude: '_spf.google.com',
    userHint: '',
    caveat: 'appPassword',
    sources: ['https://support.google.com/a/answer/176600 (smtp.gmail.com, 587 TLS or 465 SSL, an app password)', 'https://support.google.com/a/answer/10685031 (include:_spf.google.com)'],
  },
  {
    id: 'microsoft365',
    name: 'Microsoft 365',
    host: 'smtp.office365.com',
    port: 587,
    spfInclude: 'spf.protection.outlook.com',
    userHint: '',
    sources: [
      'https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/how-to-set-up-a-multifunction-device-or-application-to-send-email-using-microsoft-365-or-office-365 (smtp.office365.com, 587, STARTTLS)',
      'https://learn.microsoft.com/en-us/defender-office-365/email-authentication-spf-configure (include:spf.protection.outlook.com)',
      // Postfix logs in with a password (Basic auth); Microsoft's revised schedule (2026-01-27)
      // disables that by default on existing tenants from the end of December 2026.
      'https://techcommunity.microsoft.com/blog/exchange/exchange-online-to-retire-basic-auth-for-client-submission-smtp-auth/4114750',
    ],
    caveat: 'basicAuthRetiring',
  },
];

export function relayPreset(id: RelayPresetId): RelayPreset {
  return RELAY_PRESETS.find((p) => p.id === id) ?? (RELAY_PRESETS[0] as RelayPreset);
}

/** The preset whose host is this one, if any (the CLI's --relay finds its SPF include this way). */
export function presetForHost(host: string): RelayPreset | null {
  return RELAY_PRESETS.find((p) => p.host !== '' && p.host === host.toLowerCase()) ?? null;
}

export interface RelayTarget {
  /** A host name (lower case) or an address. */
  host: string;
  port: number;
}

export type RelayProblem = Validated<RelayTarget>;

/** `HOST[:PORT]`, `[HOST]:PORT` or `[ADDR]:PORT` → host and port (587 when none is given). */
export function parseRelayTarget(text: string): RelayProblem {
  if (findControlCharacter(text) !== null) return invalid('relayControl');
  const value = text.trim();
  const bracket = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(value);
  const plain = /^([^:[\]]+)(?::(\d{1,5}))?$/.exec(value);
  const m = bracket ?? plain;
  if (!m || !m[1]) return invalid('relayForm');
  const port = m[2] === undefined ? 587 : Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return invalid('relayPort', { value: m[2] ?? '' });
  const ip = parseIpAddress(m[1]);
  if (ip.ok && ip.value.version === 4) return valid({ host: m[1], port });
  const domain = normalizeDomain(m[1]);
  if (!domain.ok) return invalid('relayHost', { value: m[1] });
  return valid({ host: domain.value, port });
}

/** Postfix's relayhost value: always bracketed (no MX lookup for a submission server). */
export function relayhostValue(target: RelayTarget): string {
  return `[${target.host}]:${target.port}`;
}

/** The login name: one word (the password table splits user and password at the first ':'). */
export function checkRelayUser(user: string): ValidationProblem | null {
  if (user === '') return problem('relayUserEmpty');
  if (user.length > 256) return problem('relayUserTooLong');
  if (findControlCharacter(user) !== null || /[\s:]/.test(user)) return problem('relayUserChars');
  return null;
}

/** The password: one line without control characters or edge spaces (the table trims them). */
export function checkRelayPassword(password: string): ValidationProblem | null {
  if (password === '') return problem('relayPasswordEmpty');
  if (password.length > 512) return problem('relayPasswordTooLong');
  if (findControlCharacter(password) !== null) return problem('relayPasswordControl');
  if (password.trim() !== password) return problem('relayPasswordEdgeSpace');
  return null;
}
