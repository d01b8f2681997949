import { z } from 'zod';
import type { OutboundReport, RequirementsReport } from '../outbound.js';
import { normalizeDomain } from '../validation/domain.js';
import { call } from './define.js';
import { validatedText } from './fields.js';
import { dkimExpectationSchema, verifyDnsInput } from './verify.js';

const sessionId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);
const domain = validatedText(normalizeDomain, 253);

export const checkOutboundInput = z
  .object({
    sessionId,
    /** The recipient domain whose MX port 25 is tried (default gmail.com). */
    probeDomain: domain.optional(),
    /** The person's mail domain: the certificate must carry its MX name. */
    domain: domain.optional(),
    /** DNS servers the desktop reads the domain's SPF from (as verify's resolvers). */
    resolvers: verifyDnsInput.shape.resolvers.optional(),
  })
  .strict();

export const checkRequirementsInput = z
  .object({
    domain,
    /** The server, when connected: port 25, TLS, and its own view of its reverse name. */
    sessionId: sessionId.optional(),
    dkim: z.array(dkimExpectationSchema).max(20).default([]),
    addresses: verifyDnsInput.shape.addresses,
    resolvers: verifyDnsInput.shape.resolvers,
  })
  .strict();

export const outboundCalls = {
  checkOutbound: call<OutboundReport>()({
    input: checkOutboundInput,
    description: 'The way out, from the server in one round trip: port 25, public address and policy list, reverse name, TLS and certificate, relay (changes nothing, sends nothing).',
  }),
  checkRequirements: call<RequirementsReport>()({
    input: checkRequirementsInput,
    description: 'The sender requirements of Gmail, Yahoo and Outlook.com, each pass / fail / cannot tell from the checks, with the receiver\'s page.',
  }),
};
