/**
 * The DNS records to publish, built from plain data: pure, so the wizard builds and shows
 * them itself (no contract call), and the CLI and main process use the same functions.
 */
import { formatJson, formatValue, formatZone, builtinFormats, type BuiltinFormat, type FormatOptions, type FormattedRecords } from './formats.js';
import { formatForPreset, isPresetId, type PresetId } from './presets.js';
import type { RecordSet } from './recordSet.js';

export type RecordFormat = BuiltinFormat | PresetId;

export function isRecordFormat(value: string): value is RecordFormat {
  return (builtinFormats as readonly string[]).includes(value) || isPresetId(value);
}

/** The records in one of the output forms: zone, value, json, or a provider preset. */
export function formatRecords(set: RecordSet, format: RecordFormat, options: FormatOptions = {}): FormattedRecords {
  switch (format) {
    case 'zone':
      return formatZone(set, options);
    case 'value':
      return formatValue(set, options.words);
    case 'json':
      return formatJson(set);
    default:
      return formatForPreset(set, format, options.origin, options.words);
  }
}

export { buildRecordSet, dkimKeyNotes, DEFAULT_TTL, type DkimPublicKey, type RecordRequest, type RecordSet } from './recordSet.js';
export { buildDkimRecord, checkDkimPublicKey, dkimName, type DkimRecordInput } from './dkim.js';
export { buildSpfRecord, countSpfLookups, isSpfRecord, networkContains, parseSpfTerms, SPF_LOOKUP_LIMIT, type SpfInput, type SpfResult, type SpfTerm } from './spf.js';
export { buildDmarcRecords, dmarcMailto, dmarcPolicies, parseFailureOptions, type DmarcAlignment, type DmarcInput, type DmarcResult } from './dmarc.js';
export { buildMxRecord, buildPtrGuidance, reverseName } from './mxPtr.js';
export { adspRemovals } from './adsp.js';
export { builtinFormats, changeText, englishRecordWords, type RecordWords, formatJson, formatValue, formatZone, sortByPlace, toJsonRecordSet, zoneRdata, type BuiltinFormat, type FormatOptions, type FormattedRecords, type JsonRecordSet, type JsonRecord } from './formats.js';
export { dnsProviderPresets, findPreset, formatForPreset, isPresetId, presetIds, type DnsProviderPreset, type PresetId } from './presets.js';
export { joinTxtStrings, MAX_TXT_STRING_BYTES, parseQuotedStrings, quoteTxtString, quoteTxtStrings, splitDkimValue, splitTxtValue, utf8Length } from './txt.js';
export { relativeName, recordName } from './names.js';
export { note, type RecordMessageKey } from './notes.js';
export { dkimTxtFile } from './dkimTxtFile.js';
export type * from './types.js';
export { compareWithPublished, publishedDmarc, stricterPolicy } from './published.js';
export { singleSpf, spfAnswerKey, spfCost, spfQueriesOf, type SpfCost, type SpfQuery } from './spfCost.js';
