import type { DkimKeyInfo } from '../../../shared/contract/records.js';
import type { Inspection } from '../../../shared/inspection.js';
import type { BackupList } from '../../../shared/backups.js';
import type { ApplyResult, Plan } from '../../../shared/plan.js';

/** A real 2048-bit RSA public key (SPKI, base64): the record builder checks p=. */
export const RSA_PUBLIC_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvb3qZ5ZLTZSvOyES4g9jsB6ug2QzIqU09jKJrndal+mSSxEM2zRtq0BvFJZgfG0vauyQJVORUuTn0OxMn2EWRutAIsN1BxEe78aL/ylfrRh+AnleaFD2f2QI+r5wZYlaz6Jniw43d5dhnQ0fULvpMiYLaecQR+Su0yndqrJDtBNI9XLCG/JrhXSUtM3MOVa26rtsEBLOMZA+u2hv7cDJXHbOCofHZa+n4WKlzzv3n5B/hgNBNOhscyjKu5Bu/UQM2AHJ1ZO1AvNniFhAi4tRLTMHEqM+PWe+C6KEMWp4SPhvuFgTHG04MteA11H+yuqTmyE3x294Qh0ZFUsCSz/YqQIDAQAB';

export function rsaKey(domain = 'example.jp', selector = '202611'): DkimKeyInfo {
  return {
    keyId: 'key-1',
    domain,
    selector,
    type: 'rsa',
    bits: 2048,
    publicKey: RSA_PUBLIC_KEY,
    fingerprint: 'SHA256:abc',
  };
}

export function inspection(overrides: Partial<Inspection> = {}): Inspection {
  return {
    schemaVersion: 1,
    target: { user: 'admin', host: 'mail.example.jp', port: 22 },
    privilege: 'sudo-password',
    hostname: 'mail.example.jp',
    os: { id: 'debian', versionId: '12', versionCodename: 'bookworm', prettyName: 'Debian GNU/Linux 12 (bookworm)', idLike: [] },
    packageManager: 'apt',
    serviceManager: 'systemd',
    addresses: [],
    postfix: null,
    opendkim: {
      installed: false,
      version: null,
      canSignEd25519: null,
      running: false,
      configPath: '/etc/opendkim.conf',
      configured: false,
      mode: 'none',
      settings: {},
      socket: null,
      socketAsMilter: null,
      domains: [],
      keyTable: null,
      signingTable: null,
      keys: [],
      requireSafeKeys: true,
      userId: null,
    },
    aliases: [],
    aliasesPath: '/etc/aliases',
    findings: [
      { key: 'opendkimMissing', severity: 'problem', params: {}, text: 'OpenDKIM is not installed: mail from this server is not signed. Homemail can install it.' },
      { key: 'keyWeak', severity: 'problem', params: { path: '/etc/dkimkeys/postfix.private', bits: 1024 }, text: 'The DKIM key /etc/dkimkeys/postfix.private is only 1024 bits; receivers expect at least 2048 (RFC 8301).' },
      { key: 'adspUnknown', severity: 'info', params: {}, text: 'Whether an old ADSP record is published is checked with the DNS records.' },
    ],
    ...overrides,
  };
}

/** A plan that changes main.cf only (backed up first): `diff` and why, as the plan shows them. */
export function mainCfPlan(diff: string, why: Plan['files'][number]['why'], overrides: Partial<Plan> = {}): Plan {
  return {
    host: 'mail.example.jp',
    domain: 'example.jp',
    changed: true,
    files: [{ path: '/etc/postfix/main.cf', kind: 'modify', owner: 'root', group: 'root', mode: '0644', secret: false, diff, why }],
    commands: [],
    backedUp: ['/etc/postfix/main.cf'],
    notes: [],
    opendkimSocket: '',
    milter: '',
    interrupted: [],
    ...overrides,
  };
}

/** The inbound plan that removes a dead DNS blocklist (all.rbl.jp) from main.cf: one file, one check. */
export function deadListPlan(overrides: Partial<Plan> = {}): Plan {
  return mainCfPlan(
    '--- a/etc/postfix/main.cf\n+++ b/etc/postfix/main.cf\n-smtpd_client_restrictions = permit_mynetworks, reject_rbl_client all.rbl.jp\n+smtpd_client_restrictions = permit_mynetworks\n',
    { key: 'inboundMainCfLists', params: { zones: 'all.rbl.jp' }, text: 'Postfix: remove the dead DNS lists all.rbl.jp.' },
    {
      commands: [{ kind: 'validate', command: 'postfix check', words: { key: 'validatePostfix', params: {}, text: 'Check the Postfix configuration (postfix check, postconf warnings).' } }],
      ...overrides,
    },
  );
}

/** What an apply of `plan` returns when it went through, its backup named `backupId`. */
export function appliedResult(plan: Plan, backupId: string): ApplyResult {
  return { changed: true, backupId, plan, warnings: [], interrupted: [], log: [{ stage: 'done', status: 'ok', text: `Applied; backup ${backupId}` }], roundTrips: 3 };
}

/** Backups as `listBackups` returns them: one in place (a main.cf edit, a created list and a created private key), one already restored. */
export const backupList: BackupList = {
  root: '/var/backups/homemail',
  backups: [
    {
      id: '20261130-031500-a1b2c3',
      startedAtMs: Date.UTC(2026, 10, 30, 3, 15),
      state: 'done',
      restorable: true,
      files: [
        { path: '/etc/postfix/main.cf', action: 'restore', diff: '@@ -1 +1 @@\n-smtpd_client_restrictions = permit_mynetworks\n+smtpd_client_restrictions = permit_mynetworks, reject_rbl_client all.rbl.jp\n' },
        { path: '/etc/postfix/homemail_client_allow', action: 'remove', diff: '' },
        { path: '/etc/dkimkeys/202611.private', action: 'remove', diff: null },
      ],
      packages: ['opendkim'],
    },
    { id: '20261129-120000-000000', startedAtMs: Date.UTC(2026, 10, 29, 12), state: 'restored', restorable: false, files: [{ path: '/etc/opendkim.conf', action: 'restore', diff: '' }], packages: [] },
  ],
};
