import { z } from 'zod';
import { problem } from '../validation/problem.js';
import { addProblem } from '../validation/zodIssue.js';
import type { Check, CheckSummary } from '../checks.js';
import type { HeaderExplanation } from '../verify/headerExplainer.js';
import { normalizeDomain } from '../validation/domain.js';
import { parseIpAddress } from '../validation/ip.js';
import { normalizeSelector } from '../validation/selector.js';
import { lineText } from './fields.js';
import { parseResolverAddress } from '../verify/resolverAddress.js';
import { call } from './define.js';

/** A DNS server as the report shows it. */
export interface ResolverReport {
  /** `192.0.2.53`, `[2001:db8::53]:5353`. */
  address: string;
  role: 'authoritative' | 'public' | 'chosen' | 'system';
  label: string;
  usable: boolean;
  /** Why it gave no usable answer, in English words; null when usable. */
  problem: string | null;
  /** The same as a DNS error code (`words.checks.reason.<code>` in the catalogs); null when usable. */
  problemCode: string | null;
  /** The server whose answers the record checks judged (the first usable authoritative or chosen one). */
  primary: boolean;
}

export interface VerifyTiming {
  wallMs: number;
  queries: number;
  slowestQueryMs: number;
  /** "TXT example.jp @8.8.8.8", for the bench and for people wondering what was slow. */
  slowestQuery: string | null;
}

export interface VerifyReport {
  domain: string;
  /** The zone apex, when known (`example.jp` for `mail.example.jp`). */
  zone: string | null;
  resolvers: ResolverReport[];
  checks: Check[];
  summary: CheckSummary;
  /** No check failed (exit 0 in the CLI). */
  ok: boolean;
  /** Every resolver agrees with the primary and nothing failed: DNS has settled. */
  settled: boolean;
  timing: VerifyTiming;
}

export type VerifyProgress =
  | { kind: 'phase'; phase: 'resolvers' | 'records' | 'checks'; done: number; total: number }
  /** While waiting for DNS: one round done, and what is still not right. */
  | { kind: 'round'; round: number; failing: string[]; behind: { resolver: string; record: string }[] };

const domainField = z.string().transform((value, ctx) => {
  const result = normalizeDomain(value);
  if (result.ok) return result.value;
  addProblem(ctx, result.problem);
  return z.NEVER;
});

const selectorField = z.string().transform((value, ctx) => {
  const result = normalizeSelector(value);
  if (result.ok) return result.value;
  addProblem(ctx, result.problem);
  return z.NEVER;
});

const ipField = z.string().transform((value, ctx) => {
  const result = parseIpAddress(value);
  if (result.ok) return result.value.address;
  addProblem(ctx, result.problem);
  return z.NEVER;
});

const resolverField = lineText(100).superRefine((value, ctx) => {
  if (parseResolverAddress(value) === null) addProblem(ctx, problem('resolverAddress', { value }));
});

export const dkimExpectationSchema = z
  .object({
    selector: selectorField,
    /** The p= value the record must hold (a public key: safe to pass from the renderer). */
    publicKey: z.string().regex(/^[A-Za-z0-9+/=\s]+$/, 'must be base64').max(4096).nullable().default(null),
    keyType: z.enum(['rsa', 'ed25519']).nullable().default(null),
  })
  .strict();

export const verifyDnsInput = z
  .object({
    domain: domainField,
    dkim: z.array(dkimExpectationSchema).max(20).default([]),
    /** The server's public addresses (SPF evaluation, PTR, blocklists). */
    addresses: z.array(ipField).max(20).default([]),
    /** The server's own interface addresses (from inspection), to notice NAT. */
    interfaceAddresses: z.array(ipField).max(50).default([]),
    /** Replace the default servers (authoritative + public). */
    resolvers: z.array(resolverField).max(10).default([]),
    discoverAddress: z.boolean().default(true),
    checkBlocklists: z.boolean().default(true),
    /** Keep checking until DNS has settled (or this many seconds pass); 0 = check once. */
    waitSeconds: z.number().int().min(0).max(3600).default(0),
    intervalSeconds: z.number().int().min(2).max(600).default(15),
  })
  .strict();

export type VerifyDnsInput = z.output<typeof verifyDnsInput>;

export type SendPath = 'sendmail' | 'smtp';

export interface DeliveredMessage {
  path: SendPath;
  sent: boolean;
  /** What the server itself answered (the SMTP reply, sendmail's complaint), as it came; the sentence is the message.sent check's. */
  sendDetail: string;
  /** The delivered copy (headers and body), or null when it did not arrive. */
  message: string | null;
  /** Authentication-Results style: `dkim=pass header.d=… header.s=…; spf=…; dmarc=…`. */
  authenticationResults: string | null;
}

export interface SendTestReport {
  from: string;
  to: string;
  mailbox: string;
  messages: DeliveredMessage[];
  checks: Check[];
  summary: CheckSummary;
  ok: boolean;
}

export const sendTestInput = z
  .object({
    sessionId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
    /** A local user or address; default the SSH login user. */
    to: z.string().regex(/^[A-Za-z0-9._+-]+(?:@[A-Za-z0-9.-]+)?$/, 'must be a local user or address').optional(),
    domain: domainField.optional(),
    addresses: z.array(ipField).max(20).default([]),
    resolvers: z.array(resolverField).max(10).default([]),
  })
  .strict();

export const verifyCalls = {
  verifyDns: call<VerifyReport, VerifyProgress>()({
    input: verifyDnsInput,
    description: 'Checks the published DKIM, SPF, DMARC, MX, PTR and ADSP records at the zone\'s and public DNS servers; optionally waits until they settle.',
  }),
  sendTest: call<SendTestReport>()({
    input: sendTestInput,
    description: 'Sends a message through the server by sendmail and by SMTP, fetches it back over SSH and verifies its DKIM signature, SPF and DMARC.',
  }),
  explainHeaders: call<HeaderExplanation>()({
    input: z.object({ headers: z.string().max(1_000_000) }).strict(),
    description: 'Explains a received message\'s authentication headers in plain words (also runs offline in the renderer).',
  }),
};
