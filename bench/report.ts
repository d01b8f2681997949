/**
 * The bench's results: what each figure is judged against, the JSON written to
 * bench/results.json and the table printed on stdout. Pure: no measuring here.
 */

/** The keys of bench/results.json, in table order (fixed by issue 10). */
export const FIGURE_KEYS = [
  'keygen_rsa2048_ms',
  'openssl_genrsa2048_ms',
  'inspect_round_trips',
  'apply_round_trips',
  'apply_seconds_at_100ms_rtt',
  'verify_wall_ms',
  'verify_slowest_query_ms',
  'renderer_js_gzip_kb',
  'first_paint_ms',
  'web_rss_mb',
  'status_page_ms',
  'reports_parse_mb_per_s',
  'reports_elementtree_mb_per_s',
  'reports_peak_rss_mb',
  'reports_hostile_peak_rss_mb',
  'reports_big_message_peak_rss_mb',
  'maildir_read_s',
] as const;

export type FigureKey = (typeof FIGURE_KEYS)[number];

/**
 * How a figure is judged. `judged` is the number the limit applies to: the figure itself, or
 * a ratio against a reference measured in the same run (keygen against openssl, verify wall
 * time against its slowest query). A reference has no target of its own.
 */
export type Target =
  | { kind: 'reference'; text: string }
  | { kind: 'limit'; op: '<=' | '<' | '='; limit: number; judged: number | null; text: string };

export interface Figure {
  /** null when the part of the bench that measures it failed (see `error`). */
  value: number | null;
  unit: string;
  target: string;
  /** null for a reference, or when nothing was measured. */
  pass: boolean | null;
  /** Why there is no value. */
  error?: string;
  [context: string]: unknown;
}

export type Results = Record<FigureKey, Figure>;

export function meets(judged: number, op: '<=' | '<' | '=', limit: number): boolean {
  if (!Number.isFinite(judged)) return false;
  if (op === '<=') return judged <= limit;
  if (op === '<') return judged < limit;
  return judged === limit;
}

/** One figure with its target and pass mark; `context` (samples, ratios, conditions) is kept beside. */
export function figure(value: number | null, unit: string, target: Target, context: Record<string, unknown> = {}): Figure {
  const pass = target.kind === 'reference' || value === null || target.judged === null ? null : meets(target.judged, target.op, target.limit);
  return { value, unit, target: target.text, pass, ...context };
}

/** A figure whose measurement failed: no value, no mark, the reason. */
export function missing(unit: string, targetText: string, error: string): Figure {
  return { value: null, unit, target: targetText, pass: null, error };
}

/** value / reference, or null when either is missing or the reference is not positive. */
export function ratio(value: number | null, reference: number | null): number | null {
  if (value === null || reference === null || !(reference > 0)) return null;
  return value / reference;
}

function formatValue(f: Figure): string {
  if (f.value === null) return 'n/a';
  const digits = Number.isInteger(f.value) ? 0 : Math.abs(f.value) >= 100 ? 0 : Math.abs(f.value) >= 10 ? 1 : 2;
  return f.unit === '' ? f.value.toFixed(digits) : `${f.value.toFixed(digits)} ${f.unit}`;
}

function mark(f: Figure): string {
  if (f.value === null) return 'ERROR';
  if (f.pass === null) return 'ref';
  return f.pass ? 'PASS' : 'FAIL';
}

/** A Markdown table (readable on a terminal and pasteable into the README). */
export function formatTable(results: Partial<Results>, keys: readonly FigureKey[] = FIGURE_KEYS): string {
  const rows = keys.flatMap((key) => {
    const f = results[key];
    return f === undefined ? [] : [[key, formatValue(f), f.target, mark(f)]];
  });
  const header = ['figure', 'value', 'target', 'mark'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** True when some figure could not be measured (the bench then exits 1). */
export function hasErrors(results: Results): boolean {
  return FIGURE_KEYS.some((key) => results[key].value === null);
}
