import type { DkimKeyInfo } from '../../../shared/contract/records.js';
import type { Inspection } from '../../../shared/inspection.js';

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
