/**
 * Calls for DKIM keys. Only key generation and the key store need the main process (the
 * private key must never reach the renderer). Building and formatting the DNS records is
 * pure: the wizard calls shared/records (`buildRecordSet`, `formatRecords`,
 * `dnsProviderPresets`) directly with the public keys these calls return, so there is no
 * call for it.
 */
import { z } from 'zod';
import type { RecordNote, DnsRecord, DkimKeyType } from '../records/types.js';
import { call } from './define.js';
import { lineText } from './fields.js';

/** What the renderer may know of a key: everything but the private half. */
export interface DkimKeyInfo {
  /** The key store's id; plan/apply take it to fetch the private key in main. */
  keyId: string;
  domain: string;
  selector: string;
  type: DkimKeyType;
  bits?: number;
  /** The DNS `p=` value. */
  publicKey: string;
  /** `SHA256:…` of the public key bytes, to compare keys at a glance. */
  fingerprint: string;
}

export interface GeneratedDkimKey {
  key: DkimKeyInfo;
  /** The key's DKIM record, ready to show and copy. */
  record: DnsRecord;
  /** Warnings about the choice (RFC 8301 for 1024 bits, long records, Ed25519 only as an extra). */
  notes: RecordNote[];
}

export const recordsCalls = {
  generateDkimKey: call<GeneratedDkimKey>()({
    input: z
      .object({
        domain: lineText(1024),
        selector: lineText(255),
        type: z.enum(['rsa', 'ed25519']).default('rsa'),
        /** RSA only: 1024, 2048 (default), 3072 or 4096. */
        bits: z.number().int().optional(),
      })
      .strict(),
    description: 'Generates a DKIM key in the main process, keeps the private key in memory and returns its public half and DNS record.',
  }),
  listDkimKeys: call<DkimKeyInfo[]>()({
    input: z.object({ domain: lineText(1024).optional() }).strict(),
    description: 'The DKIM keys held in memory (public information only), optionally for one domain.',
  }),
  forgetDkimKey: call<{ removed: boolean }>()({
    input: z.object({ keyId: lineText(100) }).strict(),
    description: 'Discards a DKIM key from memory.',
  }),
};
