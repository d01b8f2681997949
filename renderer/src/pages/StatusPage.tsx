import { useEffect, useRef, useState } from 'react';
import { storedCheckText, watchChangeText, watchSkipDetail } from '../../../shared/i18n/keyedText.js';
import { useTranslation } from 'react-i18next';
import type { CheckStatus } from '../../../shared/checks.js';
import type { ReporterTrend, SourceVolume, StoredCheck, StoredRun, TargetStatus, WatchChange, WatchSchedule, WatchStatus } from '../../../shared/watch.js';
import { callApi } from '../api.js';
import { Busy } from '../components/Busy.js';
import { RotationSummary } from '../components/RotationSummary.js';
import { StatusBadge } from '../components/CheckList.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { toSerializedError, useCall } from '../hooks/useCall.js';
import { useKeyedText } from '../text.js';
import type { SerializedError } from '../../../shared/errors.js';
import { PassFailChart } from './ReportsPage.js';

const order: Record<CheckStatus, number> = { fail: 0, warn: 1, unknown: 2, pass: 3 };

function download(filename: string, mediaType: string, text: string): void {
  const blob = new Blob([text], { type: `${mediaType};charset=utf-8` });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function useWatchText() {
  const { t, i18n } = useTranslation();
  const translator = { t: (key: string, params?: Record<string, string | number>) => t(key, params ?? {}), exists: (key: string) => i18n.exists(key) };
  return {
    change: (c: WatchChange) => watchChangeText(translator, c),
    title: (c: StoredCheck) => storedCheckText(translator, c.titleKey, c.params, c.title),
    found: (c: StoredCheck) => storedCheckText(translator, c.foundKey, c.params, c.found ?? ''),
  };
}

function Changes({ changes }: { changes: readonly WatchChange[] }) {
  const { t } = useTranslation();
  const text = useWatchText();
  if (changes.length === 0) return <p>{t('watch.noChanges')}</p>;
  return (
    <ul className="watch-changes">
      {changes.map((c, i) => (
        <li key={`${c.subject}-${i}`} data-change={c.kind} data-severity={c.severity}>
          <span className={`badge ${c.severity === 'worse' ? 'fail' : c.severity === 'better' ? 'pass' : 'info'}`}>{t(`watch.severity.${c.severity}`)}</span> {text.change(c)}
        </li>
      ))}
    </ul>
  );
}

function RunChecks({ run }: { run: StoredRun }) {
  const { t, i18n } = useTranslation();
  const text = useWatchText();
  const checks = [...run.checks].sort((a, b) => order[a.status] - order[b.status]);
  return (
    <details open={checks.some((c) => c.status === 'fail')}>
      <summary>
        {t(`watch.kind.${run.kind}`)} — {t('watch.checkedAt', { at: new Date(run.at).toLocaleString(i18n.language) })} (
        {t('watch.counts', { fail: checks.filter((c) => c.status === 'fail').length, total: checks.length })})
      </summary>
      <ul className="checks">
        {checks.map((c) => (
          <li key={c.checkId} className={`check ${c.status}`} data-check={c.checkId} data-status={c.status}>
            <div className="check-head">
              <StatusBadge status={c.status} />
              <span className="check-title">{text.title(c)}</span>
            </div>
            {c.found && <p>{text.found(c)}</p>}
          </li>
        ))}
      </ul>
    </details>
  );
}

/** Horizontal bars (pass and fail, or volume) with the same numbers as a table for screen readers. */
function BarChart({ label, rows }: { label: string; rows: ReadonlyArray<{ name: string; pass: number; fail: number }> }) {
  const max = Math.max(1, ...rows.map((r) => r.pass + r.fail));
  const rowHeight = 18;
  const labelWidth = 150;
  const barWidth = 300;
  const height = rows.length * (rowHeight + 4) + 4;
  return (
    <svg role="img" aria-label={label} width={labelWidth + barWidth + 60} height={height} viewBox={`0 0 ${labelWidth + barWidth + 60} ${height}`} className="reports-chart">
      <title>{label}</title>
      {rows.map((r, i) => {
        const y = 4 + i * (rowHeight + 4);
        const passW = (r.pass / max) * barWidth;
        const failW = (r.fail / max) * barWidth;
        return (
          <g key={r.name}>
            <text x={labelWidth - 6} y={y + 13} fontSize="11" textAnchor="end">
              {r.name.length > 24 ? `${r.name.slice(0, 23)}…` : r.name}
            </text>
            <rect x={labelWidth} y={y} width={passW} height={rowHeight} fill="#2e8b57" />
            <rect x={labelWidth + passW} y={y} width={failW} height={rowHeight} fill="#c0392b" />
            <text x={labelWidth + passW + failW + 4} y={y + 13} fontSize="11">
              {r.pass + r.fail}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function NumbersTable({ caption, head, rows }: { caption: string; head: readonly string[]; rows: ReadonlyArray<ReadonlyArray<string | number>> }) {
  return (
    <table className="sr-only">
      <caption>{caption}</caption>
      <thead>
        <tr>
          {head.map((h) => (
            <th key={h} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={i}>
            {row.map((cell, j) => (j === 0 ? <th key={j} scope="row">{cell}</th> : <td key={j}>{cell}</td>))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const rate = (pass: number, fail: number) => (pass + fail === 0 ? '—' : `${Math.round((pass / (pass + fail)) * 1000) / 10}%`);

function Trends({ target }: { target: TargetStatus }) {
  const { t } = useTranslation();
  const { trends } = target;
  if (trends.reports === 0) return <p>{t('watch.noReports')}</p>;
  const reporters = trends.reporters.map((r: ReporterTrend) => ({ name: r.orgName, pass: r.pass, fail: r.fail }));
  const sources = trends.sources.slice(0, 15).map((s: SourceVolume) => ({ name: s.sourceIp, pass: s.count - s.fail, fail: s.fail }));
  const recent = trends.daily.slice(-60);
  return (
    <div className="watch-trends">
      <h3>{t('watch.trendDaily')}</h3>
      <PassFailChart timeline={recent} label={t('watch.trendDailyLabel', { domain: target.domain })} />
      <NumbersTable
        caption={t('watch.trendDaily')}
        head={[t('watch.col.date'), t('watch.col.pass'), t('watch.col.fail'), t('watch.col.rate')]}
        rows={recent.map((d) => [d.date, d.pass, d.fail, rate(d.pass, d.fail)])}
      />
      <h3>{t('watch.trendReporters')}</h3>
      <BarChart label={t('watch.trendReportersLabel')} rows={reporters} />
      <NumbersTable
        caption={t('watch.trendReporters')}
        head={[t('watch.col.reporter'), t('watch.col.pass'), t('watch.col.fail'), t('watch.col.rate')]}
        rows={reporters.map((r) => [r.name, r.pass, r.fail, rate(r.pass, r.fail)])}
      />
      <h3>{t('watch.trendSources')}</h3>
      <BarChart label={t('watch.trendSourcesLabel')} rows={sources} />
      <NumbersTable
        caption={t('watch.trendSources')}
        head={[t('watch.col.source'), t('watch.col.pass'), t('watch.col.fail'), t('watch.col.rate')]}
        rows={sources.map((s) => [s.name, s.pass, s.fail, rate(s.pass, s.fail)])}
      />
    </div>
  );
}

function TargetSection({ target, onChanged }: { target: TargetStatus; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const text = useKeyedText();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<SerializedError | null>(null);
  const headingId = `watch-${target.domain.replaceAll('.', '-')}`;
  const exportAs = async (format: 'csv' | 'json') => {
    try {
      const file = await callApi('exportHistory', { domain: target.domain, format });
      download(file.filename, file.mediaType, file.text);
    } catch (e) {
      setError(toSerializedError(e));
    }
  };
  const deleteServer = async () => {
    if (!target.server) return;
    try {
      await callApi('deleteServerHistory', { host: target.server.host, port: target.server.port });
      setConfirming(false);
      onChanged();
    } catch (e) {
      setError(toSerializedError(e));
    }
  };
  return (
    <section className="watch-target" aria-labelledby={headingId} data-domain={target.domain}>
      <h2 id={headingId}>{target.domain}</h2>
      <p>
        {target.server ? t('watch.server', { host: target.server.host, port: target.server.port, fingerprint: target.server.hostKeyFingerprint ?? '—' }) : t('watch.dnsOnly')}{' '}
        {target.lastRunAt && t('watch.lastRun', { at: new Date(target.lastRunAt).toLocaleString(i18n.language), runs: target.runs })}
      </p>
      <h3>{t('watch.changesTitle')}</h3>
      <Changes changes={target.changes} />
      {target.skipped.length > 0 && (
        <div className="notice info">
          <p className="notice-title">{t('watch.skippedTitle')}</p>
          <ul>
            {target.skipped.map((s) => (
              <li key={`${s.what}-${s.detail}`}>
                {t(`watch.skip.${s.what}`)}
                {s.detail && `: ${watchSkipDetail(text, s)}`}
              </li>
            ))}
          </ul>
        </div>
      )}
      <h3>{t('watch.currentTitle')}</h3>
      {target.latest.map((run) => (
        <RunChecks key={run.id} run={run} />
      ))}
      <Trends target={target} />
      <div className="watch-actions">
        <button type="button" onClick={() => void exportAs('csv')}>
          {t('watch.exportCsv')}
        </button>{' '}
        <button type="button" onClick={() => void exportAs('json')}>
          {t('watch.exportJson')}
        </button>{' '}
        {target.server &&
          (confirming ? (
            <>
              <button type="button" className="danger" onClick={() => void deleteServer()}>
                {t('watch.deleteConfirm', { host: target.server.host })}
              </button>{' '}
              <button type="button" className="secondary" onClick={() => setConfirming(false)}>
                {t('app.cancel')}
              </button>
            </>
          ) : (
            <button type="button" className="secondary" onClick={() => setConfirming(true)}>
              {t('watch.delete', { host: target.server.host })}
            </button>
          ))}
      </div>
      {error && <ErrorNotice error={error} />}
    </section>
  );
}

function ScheduleControls({ schedule, onSaved }: { schedule: WatchSchedule; onSaved: (s: WatchSchedule) => void }) {
  const { t } = useTranslation();
  const save = async (next: { enabled: boolean; intervalHours: number }) => onSaved(await callApi('setWatchSchedule', next));
  const intervals: Array<[number, string]> = [
    [1, t('watch.interval.1h')],
    [6, t('watch.interval.6h')],
    [12, t('watch.interval.12h')],
    [24, t('watch.interval.24h')],
    [72, t('watch.interval.72h')],
    [168, t('watch.interval.168h')],
  ];
  return (
    <fieldset className="watch-schedule">
      <legend>{t('watch.scheduleTitle')}</legend>
      <label>
        <input type="checkbox" checked={schedule.enabled} onChange={(e) => void save({ enabled: e.target.checked, intervalHours: schedule.intervalHours })} /> {t('watch.scheduleOn')}
      </label>{' '}
      <label>
        {t('watch.scheduleEvery')}{' '}
        <select value={schedule.intervalHours} disabled={!schedule.enabled} onChange={(e) => void save({ enabled: schedule.enabled, intervalHours: Number(e.target.value) })}>
          {intervals.map(([hours, label]) => (
            <option key={hours} value={hours}>
              {label}
            </option>
          ))}
        </select>
      </label>
    </fieldset>
  );
}

/** The Status page: every watched domain's checks now, what changed at the last run, DMARC trends. */
export function StatusPage() {
  const { t } = useTranslation();
  const status = useCall('watchStatus');
  const runNow = useCall('watchRunNow');
  const [schedule, setSchedule] = useState<WatchSchedule | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // Opening the page puts the keyboard and screen reader at its heading, as a wizard step does.
  useEffect(() => heading.current?.focus(), []);
  const load = () => void status.run({}).then((s) => setSchedule(s?.schedule ?? null));
  // eslint-disable-next-line react-hooks/exhaustive-deps -- load once when the page opens
  useEffect(load, []);
  const check = async () => {
    await runNow.run({});
    load();
  };
  const state = status.state;
  const result: WatchStatus | null = state.status === 'done' ? state.result : null;
  return (
    <div className="status-page">
      <h1 id="step-heading" tabIndex={-1} ref={heading}>
        {t('watch.title')}
      </h1>
      <p>{t('watch.intro')}</p>
      <p>
        <button type="button" className="primary" onClick={() => void check()} disabled={runNow.state.status === 'loading'}>
          {t('watch.runNow')}
        </button>
      </p>
      {runNow.state.status === 'loading' && <Busy label={t('watch.running')} onCancel={runNow.cancel} />}
      {runNow.state.status === 'error' && <ErrorNotice error={runNow.state.error} onRetry={() => void check()} />}
      {schedule && <ScheduleControls schedule={schedule} onSaved={setSchedule} />}
      {state.status === 'loading' && <Busy label={t('watch.loading')} />}
      {state.status === 'error' && <ErrorNotice error={state.error} onRetry={load} />}
      {result && result.targets.length === 0 && <p className="notice info">{t('watch.empty')}</p>}
      {result?.targets.map((target) => (
        <TargetSection key={target.domain} target={target} onChanged={load} />
      ))}
      {result && result.rotations.length > 0 && (
        <section className="rotations" aria-labelledby="rotations-heading">
          <h2 id="rotations-heading">{t('watch.rotationsHeading')}</h2>
          {result.rotations.map((r) => (
            <RotationSummary key={`${r.host} ${r.status.domain}`} status={r.status} host={r.host} />
          ))}
        </section>
      )}
      {result && <p className="muted">{t('watch.store', { path: result.storePath, version: result.schemaVersion })}</p>}
    </div>
  );
}
