/**
 * Calls for DKIM keys and for what the domain publishes. Only key generation and the key
 * store need the main process (the private key must never reach the renderer). Building and
 * formatting the DNS records is pure: the wizard calls shared/records (`buildRecordSet`,
 * `formatRecords`, `dnsProviderPresets`) directly with the public keys these calls return and
 * the published records `readPublishedRecords` returns.
 */
import { z } from 'zod';
import { problem } from '../validation/problem.js';
import { addProblem } from '../validation/zodIssue.js';
import type { RecordNote, DnsRecord, DkimKeyType, ExistingRecord, SpfLookupAnswers } from '../records/types.js';
import { normalizeDomain } from '../validation/domain.js';
import { normalizeSelector } from '../validation/selector.js';
import { parseResolverAddress } from '../verify/resolverAddress.js';
import type { CheckText } from '../checks.js';
import { call } from './define.js';
import { lineText } from './fields.js';

/** What the domain publishes now (main/services/verify/published.ts reads it). */
export interface PublishedRecords {
  domain: string;
  /** The zone apex found via NS (null with chosen resolvers or when none was found). */
  zone: string | null;
  /** Who answered: authoritative servers first, then the fallbacks. */
  servers: string[];
  existing: ExistingRecord[];
  /** `TYPE name` of what got no trustworthy answer from any server: cannot tell what is there. */
  unknownNames: string[];
  spfAnswers: SpfLookupAnswers;
}

/** yes: every server asked answers with the key; no: a server answers without it; unknown: no server answered. */
export type Visibility = 'yes' | 'no' | 'unknown';

export interface ServerAnswer {
  server: string;
  /** What it answered, in short (the key's record, no record, or why there was no answer), as a sentence of `checks.gate*`. */
  answer: CheckText;
  visible: Visibility;
}

export interface SelectorVisibility {
  selector: string;
  name: string;
  visible: Visibility;
  servers: ServerAnswer[];
}

/** Publish before sign: whether each new selector's record is visible at the zone's servers. */
export interface PublishGateReport {
  domain: string;
  /** Every new selector is visible with its key. */
  allVisible: boolean;
  selectors: SelectorVisibility[];
  /** Set when no server could be asked (no authoritative server found, chosen ones silent), as a sentence of `checks.gate*`. */
  problem: CheckText | null;
}

const domainField = z.string().max(1024).transform((value, ctx) => {
  const result = normalizeDomain(value);
  if (result.ok) return result.value;
  addProblem(ctx, result.problem);
  return z.NEVER;
});

const selectorField = z.string().max(255).transform((value, ctx) => {
  const result = normalizeSelector(value);
  if (result.ok) return result.value;
  addProblem(ctx, result.problem);
  return z.NEVER;
});

const spfTargetField = z
  .string()
  .max(253)
  .regex(/^(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?$/)
  .transform((value) => value.toLowerCase().replace(/\.$/, ''));

export const resolverListField = z
  .array(
    z
      .string()
      .max(64)
      .superRefine((value, ctx) => {
        if (!/^[0-9A-Fa-f.:[\]]+$/.test(value) || parseResolverAddress(value) === null) addProblem(ctx, problem('resolverAddress', { value }));
      }),
  )
  .max(10)
  .default([]);

export const readPublishedRecordsInput = z
  .object({
    domain: domainField,
    /** DKIM selectors to read: those the server uses and those being created. */
    selectors: z.array(selectorField).max(20).default([]),
    /** include: targets that will be added (names such as _spf.example.net may hold "_"). */
    includes: z.array(spfTargetField).max(20).default([]),
    /** Domains of report addresses outside the domain. */
    reportDomains: z.array(domainField).max(20).default([]),
    resolvers: resolverListField,
  })
  .strict();

export const checkDkimPublishedInput = z
  .object({
    domain: domainField,
    keys: z.array(z.object({ selector: selectorField, publicKey: z.string().regex(/^[A-Za-z0-9+/=]+$/, 'must be base64').max(4096) }).strict()).min(1).max(20),
    resolvers: resolverListField,
  })
  .strict();

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
  readPublishedRecords: call<PublishedRecords>()({
    input: readPublishedRecordsInput,
    description: 'Reads what the domain publishes now (TXT at the domain, _dmarc, _adsp, DKIM selectors, MX, report authorisations, the SPF include tree) from its authoritative servers or the chosen resolvers.',
  }),
  checkDkimPublished: call<PublishGateReport>()({
    input: checkDkimPublishedInput,
    description: 'Publish before sign: whether the zone\'s authoritative servers (or the chosen resolvers) answer each new selector\'s DKIM record with its key.',
  }),
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
