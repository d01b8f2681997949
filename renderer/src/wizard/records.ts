import { buildRecordSet, type RecordRequest, type RecordSet } from '../../../shared/records/index.js';
import { HomemailError, type SerializedError } from '../../../shared/errors.js';
import { splitList } from './choices.js';
import type { WizardValues } from './state.js';

/** What the records are built from: the keys' public halves and the domain step's choices. */
export function recordRequestOf(values: WizardValues): RecordRequest {
  const addresses = splitList(values.spfAddresses);
  const myhostname = values.inspection?.postfix?.myhostname ?? undefined;
  const rua = splitList(values.rua);
  const ruf = splitList(values.ruf);
  return {
    domain: values.keys[0]?.domain ?? values.domain,
    dkim: values.keys.map((k) => ({ selector: k.selector, type: k.type, publicKey: k.publicKey, ...(k.bits === undefined ? {} : { bits: k.bits }) })),
    addresses,
    ...(addresses.length > 0 && myhostname ? { ptrHost: myhostname } : {}),
    spf: { mx: values.spfMx, a: values.spfA, all: values.spfAll },
    dmarc: { policy: values.dmarcPolicy, rua, ruf },
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
