// Whether a server's OpenDKIM can add an Ed25519 signature beside the RSA one (RFC 8463
// dual signing), judged from what the server says about its build.
//
// OpenDKIM up to and including 2.11.0 Beta2 (what Debian 12/13 and Ubuntu ship as
// 2.11.0~beta2) signs every key of a message with the one global SignatureAlgorithm
// (mctx_signalg in opendkim.c): an Ed25519 key in the KeyTable beside an RSA key makes
// it fail with "expecting an rsa key" / "EVP_PKEY_get1_RSA() failed" and temp-fail the
// mail. Upstream added a per-key algorithm as a fourth KeyTable field after Beta2
// (trusteddomainproject/OpenDKIM PR #269). `opendkim -V` prints "v2.11.0" for Beta2, so
// a bare 2.11.0 is taken as Beta2; only a package version tells a 2.11.0 final apart.

import type { ErrorSentence } from './errors.js';
import { englishText } from './i18n/english.js';

/** The per-key algorithm Homemail writes as the fourth KeyTable field when the build has it. */
export const ED25519_KEYTABLE_ALGORITHM = 'ed25519-sha256';

export interface OpendkimBuild {
  /** Output of `opendkim -V` ('' when not installed or unknown). */
  filterVersionText: string;
  /** The package manager's version (e.g. Debian's `2.11.0~beta2-8+deb12u1`), installed or candidate; null when unknown. */
  packageVersion: string | null;
}

export interface Ed25519Support {
  /** true: dual signing works; false: it cannot; null: nothing known about the build. */
  besideRsa: boolean | null;
  /** The version the judgement rests on, e.g. "2.11.0~beta2-8+deb12u1" or "2.11.0". */
  version: string | null;
  /** Plain reason when besideRsa is not true (English, from reasonSentence). */
  reason: string | null;
  /** The reason as a code (`serviceErrors.<key>`), for each door to render in the person's language. */
  reasonSentence: ErrorSentence | null;
}

function judged(besideRsa: boolean | null, version: string | null, reasonSentence: ErrorSentence | null): Ed25519Support {
  return { besideRsa, version, reason: reasonSentence === null ? null : englishText('serviceErrors', reasonSentence.key, reasonSentence.params), reasonSentence };
}

interface ParsedVersion {
  numbers: [number, number, number];
  /** Beta/alpha/rc marker present (a pre-release of `numbers`). */
  preRelease: boolean;
}

function parseVersion(text: string): ParsedVersion | null {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?([~._-]?(?:alpha|beta|rc)\d*)?/i.exec(text);
  if (!m) return null;
  return { numbers: [Number(m[1]), Number(m[2]), Number(m[3] ?? '0')], preRelease: m[4] !== undefined };
}

function compareNumbers(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The algorithms `opendkim -V` lists under "Supported signing algorithms", or null when absent. */
export function signingAlgorithms(filterVersionText: string): string[] | null {
  const block = /Supported signing algorithms:([\s\S]*?)(?:\n\S|\n\t[A-Z]|$)/.exec(filterVersionText)?.[1];
  if (block === undefined) return null;
  return block.split(/\s+/).filter((w) => w !== '');
}

/** The filter version `opendkim -V` prints ("OpenDKIM Filter v2.11.0" → "2.11.0"). */
export function filterVersion(filterVersionText: string): string | null {
  return /OpenDKIM Filter v(\d+\.\d+(?:\.\d+)?\S*)/.exec(filterVersionText)?.[1] ?? null;
}

export function ed25519Support(build: OpendkimBuild): Ed25519Support {
  const algorithms = signingAlgorithms(build.filterVersionText);
  const fromFilter = filterVersion(build.filterVersionText);
  const version = build.packageVersion ?? fromFilter;
  if (algorithms !== null && !algorithms.includes('ed25519-sha256')) {
    return judged(false, version, version === null ? { key: 'ed25519NotBuilt', params: {} } : { key: 'ed25519NotBuiltVersion', params: { version } });
  }
  const parsed = version === null ? null : parseVersion(version);
  if (parsed === null || version === null) return judged(null, version, { key: 'opendkimVersionUnknown', params: {} });
  const order = compareNumbers(parsed.numbers, [2, 11, 0]);
  // A bare "2.11.0" from opendkim -V is what Beta2 prints; a package version says which it is.
  const beta2OrOlder = order < 0 || (order === 0 && (parsed.preRelease || build.packageVersion === null));
  if (beta2OrOlder) {
    return judged(false, version, { key: 'ed25519OneAlgorithm', params: { version } });
  }
  return judged(true, version, null);
}
