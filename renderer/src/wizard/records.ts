import type { InputOf } from '../../../shared/contract/index.js';
import type { PublishedRecords } from '../../../shared/contract/records.js';
import { buildRecordSet, parseSpfTerms, isSpfRecord, publishedDmarc, relativeName, stricterPolicy, zoneRdata, type DnsProviderPreset, type DnsRecord, type RecordRequest, type RecordSet } from '../../../shared/records/index.js';
import { HomemailError, type SerializedError } from '../../../shared/errors.js';
import { normalizeDomain, isSameOrSubdomain } from '../../../shared/validation/domain.js';
import { normalizeSelector } from '../../../shared/validation/selector.js';
import { splitList } from './choices.js';
import type { WizardValues } from './state.js';

/** The mail domain as the records use it (the keys' domain once made), or null while it is not valid. */
export function recordDomainOf(values: WizardValues): string | null {
  const domain = normalizeDomain(values.keys[0]?.domain ?? values.domain);
  return domain.ok ? domain.value : null;
}

/** What to read of the domain: the selectors the server uses and the new ones, outside report domains. */
export function publishedQueryOf(values: WizardValues, domain: string): InputOf<'readPublishedRecords'> {
  const chosen = normalizeSelector(values.selector);
  const selectors = [...(values.inspection?.opendkim.keys.map((k) => k.selector ?? '') ?? []), ...values.keys.map((k) => k.selector), ...(chosen.ok ? [chosen.value] : [])].filter((s) => s !== '');
  const reportDomains = [...splitList(values.rua), ...splitList(values.ruf)]
    .map((a) => normalizeDomain(a.slice(a.lastIndexOf('@') + 1)))
    .flatMap((d) => (d.ok && !isSameOrSubdomain(d.value, domain) && !isSameOrSubdomain(domain, d.value) ? [d.value] : []));
  return { domain, selectors: [...new Set(selectors)], includes: values.relayInclude === '' ? [] : [values.relayInclude], reportDomains: [...new Set(reportDomains)], resolvers: splitList(values.resolvers) };
}

/**
 * The policy step's choices started from what is published: DMARC never weaker than the
 * published policy, its report addresses kept, the SPF ending the published record has.
 */
export function startFromPublished(values: WizardValues, published: PublishedRecords): Partial<WizardValues> {
  const dmarc = publishedDmarc(published.domain, published.existing);
  const spf = published.existing.filter((r) => r.type === 'TXT' && r.name === published.domain && isSpfRecord(r.value));
  const all = spf.length === 1 ? parseSpfTerms(spf[0]?.value ?? '').find((t) => t.kind === 'mechanism' && t.name === 'all') : undefined;
  return {
    published,
    ...(dmarc ? { dmarcPolicy: stricterPolicy(values.dmarcPolicy, dmarc.record.policy) } : {}),
    ...(dmarc && values.rua.trim() === '' && dmarc.rua.length > 0 ? { rua: dmarc.rua.join(', ') } : {}),
    ...(dmarc && values.ruf.trim() === '' && dmarc.ruf.length > 0 ? { ruf: dmarc.ruf.join(', ') } : {}),
    ...(all?.qualifier === '-' ? { spfAll: 'hard' as const } : all?.qualifier === '~' ? { spfAll: 'soft' as const } : {}),
  };
}

/** The published DMARC policy, when the domain publishes one (the policy step offers nothing weaker). */
export function publishedPolicyOf(values: WizardValues) {
  const domain = recordDomainOf(values);
  if (values.published === null || domain === null || values.published.domain !== domain) return null;
  return publishedDmarc(domain, values.published.existing)?.record.policy ?? null;
}

/** What the records are built from: the keys' public halves and the domain step's choices. */
export function recordRequestOf(values: WizardValues): RecordRequest {
  const addresses = splitList(values.spfAddresses);
  const myhostname = values.inspection?.postfix?.myhostname ?? undefined;
  const rua = splitList(values.rua);
  const ruf = splitList(values.ruf);
  const domain = recordDomainOf(values);
  const published = values.published !== null && values.published.domain === domain ? values.published : null;
  return {
    domain: values.keys[0]?.domain ?? values.domain,
    dkim: values.keys.map((k) => ({ selector: k.selector, type: k.type, publicKey: k.publicKey, ...(k.bits === undefined ? {} : { bits: k.bits }) })),
    addresses,
    ...(addresses.length > 0 && myhostname ? { ptrHost: myhostname } : {}),
    spf: { mx: values.spfMx, a: values.spfA, all: values.spfAll, includes: values.relayInclude === '' ? [] : [values.relayInclude] },
    dmarc: { policy: values.dmarcPolicy, rua, ruf },
    ...(published === null ? {} : { existing: published.existing, unknownNames: published.unknownNames, spfAnswers: published.spfAnswers }),
  };
}

export type RecordSetOutcome = { ok: true; set: RecordSet } | { ok: false; error: SerializedError };

/** Builds the record set in the page (pure shared code, no call); a refusal comes back as an error to show. */
export function recordSetOf(values: WizardValues): RecordSetOutcome {
  try {
    return { ok: true, set: buildRecordSet(recordRequestOf(values)) };
  } catch (error) {
    if (error instanceof HomemailError) return { ok: false, error: error.toJSON() };
    throw error;
  }
}

/** Offers text as a file download (the zone file, the report). */
export function downloadText(filename: string, text: string, type = 'text/plain'): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The name as the chosen provider's form wants it: relative ("@" or blank for the domain) or full. */
export function hostIn(preset: DnsProviderPreset | null, record: DnsRecord, origin: string): string {
  if (preset === null) return `${record.name}.`;
  if (preset.hostField === 'fqdn') return record.name;
  const relative = relativeName(record.name, record.zone === origin ? origin : record.zone) ?? record.name;
  return relative === '@' && preset.apex === 'blank' ? '' : relative;
}

/** The value as the provider's form wants it: quoted 255-byte strings where the form needs them. */
export function valueIn(preset: DnsProviderPreset | null, record: DnsRecord): string {
  const quoted = preset !== null && (preset.longValues === 'quoted-strings' || preset.quotes === 'required');
  return record.type === 'TXT' && quoted ? zoneRdata(record) : record.value;
}
