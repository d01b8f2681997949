import { z } from 'zod';
import { keyedError } from '../../../shared/errors.js';
/** The "probe" number main/server/scripts/inspect.sh prints first: change both together. */
export const probeVersion = 1;

/** The probe's fields, decoded. Every field but `probe` may be missing (an older or partial probe). */
export interface ProbeFields {
  uid: string;
  hostname: string;
  osRelease: string;
  packageManager: string;
  serviceManager: string;
  addresses: string;
  hostnameI: string;
  postfix: boolean;
  postconfN: string;
  postconfEffective: string;
  masterCf: string;
  postfixRunning: boolean;
  newaliases: boolean;
  postmap: boolean;
  opendkim: boolean;
  opendkimVersion: string;
  opendkimRunning: boolean;
  opendkimConf: string;
  opendkimDefault: string;
  keyTable: string;
  signingTable: string;
  keys: string;
  aliases: string;
}

const encoded = z.string().regex(/^(hex:[0-9a-f]*|[A-Za-z0-9+/]*={0,2})$/, 'not base64');

const probeSchema = z
  .object({
    probe: z.literal(String(probeVersion)),
    uid: encoded,
    hostname: encoded,
    osRelease: encoded,
    packageManager: encoded,
    serviceManager: encoded,
    addresses: encoded,
    hostnameI: encoded,
    postfix: encoded,
    postconfN: encoded,
    postconfEffective: encoded,
    masterCf: encoded,
    postfixRunning: encoded,
    newaliases: encoded,
    postmap: encoded,
    opendkim: encoded,
    opendkimVersion: encoded,
    opendkimRunning: encoded,
    opendkimConf: encoded,
    opendkimDefault: encoded,
    keyTable: encoded,
    signingTable: encoded,
    keys: encoded,
    aliases: encoded,
  })
  .partial()
  .required({ probe: true, uid: true })
  .strict();

function decode(value: string | undefined): string {
  if (value === undefined) return '';
  if (value.startsWith('hex:')) return Buffer.from(value.slice(4), 'hex').toString('utf8');
  return Buffer.from(value, 'base64').toString('utf8');
}

/** Parses the probe's stdout strictly: one JSON object of known fields, each base64. */
export function parseProbeOutput(stdout: string): ProbeFields {
  let json: unknown;
  try {
    json = JSON.parse(stdout.trim());
  } catch {
    throw keyedError('command-failed', { key: 'inspectionUnexpectedOutput', params: {} }, {
      hint: { key: 'loginPrintsText', params: {} },
      details: { output: stdout.slice(0, 200) },
    });
  }
  const parsed = probeSchema.safeParse(json);
  if (!parsed.success) {
    throw keyedError('command-failed', { key: 'inspectionSchema', params: { detail: parsed.error.issues[0]?.message ?? '-', path: parsed.error.issues[0]?.path.join('.') ?? '?' } }, {
      hint: { key: 'reportWithOs', params: {} },
    });
  }
  const d = parsed.data;
  const yes = (value: string | undefined) => decode(value).trim() === 'yes';
  return {
    uid: decode(d.uid).trim(),
    hostname: decode(d.hostname).trim(),
    osRelease: decode(d.osRelease),
    packageManager: decode(d.packageManager).trim(),
    serviceManager: decode(d.serviceManager).trim(),
    addresses: decode(d.addresses),
    hostnameI: decode(d.hostnameI),
    postfix: yes(d.postfix),
    postconfN: decode(d.postconfN),
    postconfEffective: decode(d.postconfEffective),
    masterCf: decode(d.masterCf),
    postfixRunning: yes(d.postfixRunning),
    newaliases: yes(d.newaliases),
    postmap: yes(d.postmap),
    opendkim: yes(d.opendkim),
    opendkimVersion: decode(d.opendkimVersion),
    opendkimRunning: yes(d.opendkimRunning),
    opendkimConf: decode(d.opendkimConf),
    opendkimDefault: decode(d.opendkimDefault),
    keyTable: decode(d.keyTable),
    signingTable: decode(d.signingTable),
    keys: decode(d.keys),
    aliases: decode(d.aliases),
  };
}
