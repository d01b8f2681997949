import path from 'node:path';
import { formatRecords, isRecordFormat } from '../../../shared/records/index.js';
import { presetIds } from '../../../shared/records/presets.js';
import { buildRecordSet, type RecordRequest } from '../../../shared/records/recordSet.js';
import type { DmarcPolicy, RecordNote, SpfAll } from '../../../shared/records/types.js';
import type { RecordWords } from '../../../shared/records/formats.js';
import { cliText, type CliText } from '../language.js';
import { normalizeDomain } from '../../../shared/validation/domain.js';
import { orThrow } from '../../../shared/validation/problem.js';
import { parseResolverAddress } from '../../../shared/verify/resolverAddress.js';
import { loadDkimKeyFile, parseDkimSpec } from '../../services/keys/loadKeyFile.js';
import { readPublishedRecords } from '../../services/verify/published.js';
import { cliError, parseCommandArgs, usageHint, writeErrorLine, writeText, type CliIO, type Command } from '../command.js';

/** Notes go to stderr, so stdout stays exactly the records (a zone file, JSON). */
export function writeNotes(io: CliIO, notes: readonly RecordNote[], quiet: boolean): void {
  const text = cliText(io.env);
  for (const n of notes) {
    if (quiet && n.severity === 'info') continue;
    writeErrorLine(io, text.t(n.severity === 'warning' ? 'cli.warning' : 'cli.note', { text: text.keyed('records', n) }));
  }
}

/** The comments of the text forms (what to do with each record) in the person's language. */
export function recordWords(text: CliText): RecordWords {
  return (key, params) => text.t(`records.${key}`, { ...params });
}

const formatList = `zone, value, json, ${presetIds.join(', ')}`;

function oneOf<T extends string>(field: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw cliError('bad-input', 'cliOneOf', { option: `--${field}`, allowed: allowed.join(', '), value }, { field });
  return value as T;
}

export const recordsCommand: Command = {
  name: 'records',
  usage:
    'records --domain D [--dkim S:FILE]… [--ip ADDR]… [--mx HOST] [--dmarc-policy none|quarantine|reject] [--rua ADDR] [--ruf ADDR] ' +
    `[--format zone|value|json|PRESET] [--include DOMAIN]… [--spf-all soft|hard] [--ttl SECONDS] [--origin ZONE] [--relative] [--quiet] ` +
    `[--resolver ADDR[:PORT]]… [--offline]`,
  helpParams: { formats: formatList },
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(this, argv, {
      domain: { type: 'string' },
      dkim: { type: 'string', multiple: true },
      ip: { type: 'string', multiple: true },
      mx: { type: 'string' },
      'dmarc-policy': { type: 'string' },
      rua: { type: 'string', multiple: true },
      ruf: { type: 'string', multiple: true },
      format: { type: 'string' },
      include: { type: 'string', multiple: true },
      'spf-all': { type: 'string' },
      ttl: { type: 'string' },
      origin: { type: 'string' },
      relative: { type: 'boolean' },
      quiet: { type: 'boolean' },
      resolver: { type: 'string', multiple: true },
      offline: { type: 'boolean' },
    });
    if (values.domain === undefined) throw cliError('bad-input', 'cliRequired', { option: '--domain' }, { field: 'domain', hint: usageHint(this.usage) });
    const domain = orThrow('domain', normalizeDomain(values.domain));
    const format = values.format ?? 'zone';
    if (!isRecordFormat(format)) throw cliError('bad-input', 'cliOneOf', { option: '--format', allowed: formatList, value: format }, { field: 'format' });
    const policy = oneOf<DmarcPolicy>('dmarc-policy', values['dmarc-policy'], ['none', 'quarantine', 'reject']);
    const spfAll = oneOf<SpfAll>('spf-all', values['spf-all'], ['soft', 'hard']);
    if (values.ttl !== undefined && !/^\d+$/.test(values.ttl)) throw cliError('bad-input', 'cliWholeNumber', { option: '--ttl', value: values.ttl }, { field: 'ttl' });
    const origin = values.origin === undefined ? undefined : orThrow('origin', normalizeDomain(values.origin));
    if (origin !== undefined && domain !== origin && !domain.endsWith(`.${origin}`)) {
      throw cliError('bad-input', 'cliOriginOutside', { domain, origin }, { field: 'origin' });
    }

    const resolvers = values.resolver ?? [];
    for (const text of resolvers) if (parseResolverAddress(text) === null) throw cliError('bad-input', 'cliResolver', { value: text }, { field: 'resolver' });
    if (values.offline === true && resolvers.length > 0) throw cliError('bad-input', 'cliOfflineResolver', {}, { field: 'offline' });

    // Every argument is checked before any key file is read.
    const specs = (values.dkim ?? []).map(parseDkimSpec);
    const keys = [];
    for (const spec of specs) keys.push(await loadDkimKeyFile(spec.selector, path.resolve(io.cwd, spec.file), domain));

    const request: RecordRequest = {
      domain,
      dkim: keys.map((k) => ({ selector: k.selector, type: k.type, publicKey: k.publicKeyBase64, ...(k.bits === undefined ? {} : { bits: k.bits }) })),
      addresses: values.ip ?? [],
      ...(values.mx === undefined ? {} : { mxHost: values.mx }),
      spf: { includes: values.include ?? [], ...(spfAll === undefined ? {} : { all: spfAll }) },
      dmarc: { ...(policy === undefined ? {} : { policy }), rua: values.rua ?? [], ruf: values.ruf ?? [] },
      ...(values.ttl === undefined ? {} : { ttl: Number(values.ttl) }),
    };
    // Refuses bad input before any DNS query is sent.
    const offlineSet = buildRecordSet(request);
    let set = offlineSet;
    if (values.offline !== true) {
      const published = await readPublishedRecords({
        domain,
        selectors: keys.map((k) => k.selector),
        includes: values.include ?? [],
        reportDomains: offlineSet.records.filter((r) => r.purpose === 'dmarc-report-auth').map((r) => r.zone),
        resolvers,
      });
      if (values.quiet !== true) {
        const text = cliText(io.env);
        const read =
          published.servers.length === 0
            ? text.t('cli.records.readNoServer', { domain })
            : text.t('cli.records.readFrom', { domain, servers: published.servers.join(', ') });
        const unknown = published.unknownNames.length > 0 ? ` ${text.t('cli.records.cannotTell', { names: published.unknownNames.join(', ') })}` : '';
        writeErrorLine(io, text.t('cli.note', { text: `${read}${unknown}` }));
      }
      set = buildRecordSet({ ...request, existing: published.existing, unknownNames: published.unknownNames, spfAnswers: published.spfAnswers });
    }
    const out = formatRecords(set, format, { ...(origin === undefined ? {} : { origin }), relative: values.relative === true, words: recordWords(cliText(io.env)) });
    writeText(io, out.text);
    writeNotes(io, [...set.notes, ...out.notes], values.quiet === true);
    return 0;
  },
};
