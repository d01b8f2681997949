import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ReportsProgress } from '../../../shared/contract/reports.js';
import { sourcesCsv, type DailyPoint, type PublishedPolicy, type ReportNote, type ReportPeriod, type ReportsResult } from '../../../shared/reports.js';
import { Busy } from '../components/Busy.js';
import { CopyButton } from '../components/CopyButton.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { useCall } from '../hooks/useCall.js';
import { useKeyedText } from '../text.js';

interface Props {
  sessionId: string;
  /** The mail domain, when the wizard knows it. */
  domain?: string | undefined;
  /** Its own heading; off where the frame already names the page. */
  titled?: boolean;
}

const CHART_HEIGHT = 120;

/** Pass/fail per day as stacked bars, in plain SVG. */
export function PassFailChart({ timeline, label }: { timeline: readonly DailyPoint[]; label: string }) {
  const { t } = useTranslation();
  const max = Math.max(1, ...timeline.map((d) => d.pass + d.fail));
  const bar = 18;
  const gap = 6;
  const width = Math.max(1, timeline.length) * (bar + gap) + gap;
  return (
    <svg role="img" aria-label={label} width={width} height={CHART_HEIGHT + 20} viewBox={`0 0 ${width} ${CHART_HEIGHT + 20}`} className="reports-chart">
      <title>{label}</title>
      {timeline.map((d, i) => {
        const x = gap + i * (bar + gap);
        const passH = (d.pass / max) * CHART_HEIGHT;
        const failH = (d.fail / max) * CHART_HEIGHT;
        return (
          <g key={d.date}>
            <rect x={x} y={CHART_HEIGHT - passH - failH} width={bar} height={failH} fill="#c0392b">
              <title>{t('reports.chartFail', { date: d.date, count: d.fail })}</title>
            </rect>
            <rect x={x} y={CHART_HEIGHT - passH} width={bar} height={passH} fill="#2e8b57">
              <title>{t('reports.chartPass', { date: d.date, count: d.pass })}</title>
            </rect>
            <text x={x + bar / 2} y={CHART_HEIGHT + 14} fontSize="9" textAnchor="middle">
              {d.date.slice(5)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function downloadCsv(result: ReportsResult): void {
  const blob = new Blob([sourcesCsv(result.sources)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = 'dmarc-sources.csv';
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

type PeriodKind = ReportPeriod['kind'];

/**
 * The progress line: the phase, or while the mail streams in, how much arrived and how many
 * messages were opened (the bar moves between the "messages" and "parse" phases, 1/4 to 2/4).
 */
export function progressView(progress: ReportsProgress | null | undefined, t: TFunction): { detail?: string; fraction?: number } {
  if (!progress) return {};
  if (progress.kind === 'phase') return { detail: t(`reports.phase.${progress.phase}`), fraction: progress.done / progress.total };
  const mb = (progress.bytes / 1048576).toFixed(1);
  const detail = progress.messagesParsed === null ? t('reports.progressBytes', { mb }) : t('reports.progressMessages', { mb, messages: progress.messagesParsed });
  return progress.totalBytes ? { detail, fraction: 0.25 + 0.25 * Math.min(1, progress.bytes / progress.totalBytes) } : { detail };
}

/** The DMARC aggregate reports of the report mailbox: sources table, chart, next step, CSV. */
export function ReportsPage({ sessionId, domain, titled = true }: Props) {
  const { t } = useTranslation();
  const addressId = useId();
  const [address, setAddress] = useState('');
  const [days, setDays] = useState(14);
  const [periodKind, setPeriodKind] = useState<PeriodKind>('days');
  const [since, setSince] = useState('');
  const reports = useCall('readDmarcReports');
  const period: ReportPeriod | null = periodKind === 'days' ? { kind: 'days', days } : periodKind === 'all' ? { kind: 'all' } : /^\d{4}-\d{2}-\d{2}$/.test(since) ? { kind: 'since', date: since } : null;
  const read = () => {
    if (period !== null) void reports.run({ sessionId, period, ...(domain ? { domain } : {}), ...(address.trim() === '' ? {} : { address: address.trim() }) });
  };
  const state = reports.state;
  const shown = progressView(reports.progress, t);

  return (
    <section className="reports" {...(titled ? { 'aria-labelledby': 'reports-title' } : {})}>
      {titled && <h2 id="reports-title">{t('reports.title')}</h2>}
      <p>{t('reports.intro')}</p>
      <div className="field">
        <label htmlFor={addressId}>{t('reports.addressLabel')}</label>
        <input id={addressId} type="email" spellCheck={false} placeholder={`dmarc@${domain ?? 'example.jp'}`} aria-describedby={`${addressId}-help`} value={address} onChange={(e) => setAddress(e.target.value)} />
        <p id={`${addressId}-help`} className="help">
          {t('reports.addressHelp')}
        </p>
      </div>
      <fieldset className="reports-period">
        <legend>{t('reports.period')}</legend>
        <label>
          <input type="radio" name="reports-period" checked={periodKind === 'days'} onChange={() => setPeriodKind('days')} /> {t('reports.days')}{' '}
          <input type="number" min={1} max={3660} value={days} aria-label={t('reports.days')} disabled={periodKind !== 'days'} onChange={(e) => setDays(Math.min(3660, Math.max(1, Number(e.target.value) || 1)))} />
        </label>{' '}
        <label>
          <input type="radio" name="reports-period" checked={periodKind === 'since'} onChange={() => setPeriodKind('since')} /> {t('reports.since')}{' '}
          <input type="date" value={since} aria-label={t('reports.since')} disabled={periodKind !== 'since'} onChange={(e) => setSince(e.target.value)} />
        </label>{' '}
        <label>
          <input type="radio" name="reports-period" checked={periodKind === 'all'} onChange={() => setPeriodKind('all')} /> {t('reports.all')}
        </label>
      </fieldset>
      <button type="button" onClick={read} disabled={state.status === 'loading' || period === null}>
        {t('reports.read')}
      </button>
      {state.status === 'loading' && (
        <Busy label={t('reports.reading')} detail={shown.detail} fraction={shown.fraction} onCancel={reports.cancel} />
      )}
      {state.status === 'error' && <ErrorNotice error={state.error} onRetry={read} />}
      {state.status === 'done' && <ReportsView result={state.result} />}
    </section>
  );
}

/** The policy receivers saw, RFC 9990 fields included (testing mode, np, discovery method, no pct). */
function PublishedPolicyView({ policy }: { policy: PublishedPolicy }) {
  const { t } = useTranslation();
  return (
    <dl className="reports-policy" aria-label={t('reports.policy.title')}>
      <dt>{t('reports.policy.p')}</dt>
      <dd>
        p={policy.p}
        {policy.sp === null ? '' : `, sp=${policy.sp}`}
        {policy.np === null ? '' : `, np=${policy.np}`}
      </dd>
      <dt>{t('reports.policy.testing')}</dt>
      <dd>{policy.testing === null ? t('reports.policy.notSaid') : policy.testing ? t('reports.policy.testingYes') : t('reports.policy.testingNo')}</dd>
      <dt>{t('reports.policy.pct')}</dt>
      <dd>{policy.pct === null ? t('reports.policy.noPct') : `${policy.pct}%`}</dd>
      <dt>{t('reports.policy.discovery')}</dt>
      <dd>{policy.discoveryMethod ?? t('reports.policy.notSaid')}</dd>
    </dl>
  );
}

export function ReportsView({ result }: { result: ReportsResult }) {
  const { t } = useTranslation();
  const keyed = useKeyedText();
  const rec = result.recommendation;
  // A note of the reader by its code when it gave one (its English reason otherwise).
  const noteText = (n: ReportNote) => (n.code === undefined ? n.reason : keyed('reports.note', { key: n.code, params: n.params ?? {}, text: n.reason }));
  const sourceText = (n: ReportNote) => (n.sourceCode === undefined ? n.source : t(`reports.note.${n.sourceCode}`));
  // Reports for other domains left out of the sums: said beside the totals, not folded away with the other notes.
  const otherDomains = result.notes.filter((n) => n.code === 'otherDomains');
  const notes = result.notes.filter((n) => n.code !== 'otherDomains');
  const severalDomains = new Set(result.sources.map((s) => s.domain)).size > 1;
  return (
    <div>
      <p>
        {t('reports.summary', { messages: result.messagesRead, reports: result.reports, address: result.mailbox.address ?? '?' })}
        {result.truncated && ` ${t('reports.truncated')}`}
      </p>
      {otherDomains.map((n, i) => (
        <p key={i} className="notice info">
          {noteText(n)}
        </p>
      ))}
      {result.reports === 0 && <p className="notice info">{t('reports.none')}</p>}
      {result.timeline.length > 0 && <PassFailChart timeline={result.timeline} label={t('reports.chartLabel')} />}
      {result.sources.length > 0 && (
        <>
          {/* Several domains' reports (no domain asked for): each domain's sums apart, its name beside them. */}
          <table className="reports-sources">
            <caption>{t('reports.sourcesCaption')}</caption>
            <thead>
              <tr>
                {severalDomains && <th scope="col">{t('reports.col.domain')}</th>}
                <th scope="col">{t('reports.col.source')}</th>
                <th scope="col">{t('reports.col.name')}</th>
                <th scope="col">{t('reports.col.kind')}</th>
                <th scope="col">{t('reports.col.count')}</th>
                <th scope="col">{t('reports.col.dkim')}</th>
                <th scope="col">{t('reports.col.spf')}</th>
                <th scope="col">{t('reports.col.fail')}</th>
              </tr>
            </thead>
            <tbody>
              {result.sources.map((s) => (
                <tr key={`${s.domain} ${s.sourceIp}`} className={`kind-${s.kind}`}>
                  {severalDomains && <td>{s.domain}</td>}
                  <td>{s.sourceIp}</td>
                  <td>{s.reverseName ?? '—'}</td>
                  <td>{t(`reports.kind.${s.kind}`)}</td>
                  <td>{s.count}</td>
                  <td>{s.dkimAligned}</td>
                  <td>{s.spfAligned}</td>
                  <td>{s.dmarcFail}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" onClick={() => downloadCsv(result)}>
            {t('reports.csv')}
          </button>
        </>
      )}
      {result.skipped.length > 0 && (
        <details>
          <summary>{t('reports.skipped', { count: result.skipped.length })}</summary>
          <ul>
            {result.skipped.map((s, i) => (
              <li key={i}>
                {sourceText(s)}: {noteText(s)}
              </li>
            ))}
          </ul>
        </details>
      )}
      {notes.length > 0 && (
        <details>
          <summary>{t('reports.notes', { count: notes.length })}</summary>
          <ul>
            {notes.map((n, i) => (
              <li key={i}>
                {sourceText(n)}: {noteText(n)}
              </li>
            ))}
          </ul>
        </details>
      )}
      {rec?.published && <PublishedPolicyView policy={rec.published} />}
      {rec && (
        <div className={`notice ${rec.next ? 'ok' : 'info'}`}>
          <p>{rec.code === 'noOwnMail' ? keyed('reports.recText', { key: rec.code, params: rec.params, text: rec.text }) : t(`reports.rec.${rec.key}`, { current: rec.current, next: rec.next ?? '', days: rec.periodDays, sources: rec.failingSources.join(', ') })}</p>
          {rec.record && (
            <p>
              <code>
                {rec.record.name} TXT "{rec.record.value}"
              </code>{' '}
              <CopyButton text={rec.record.value} label={t('reports.copyRecord', { name: rec.record.name })} />
            </p>
          )}
        </div>
      )}
      {result.knownIssues.map((issue) => (
        <div key={issue.key} className="notice warning">
          <p>{keyed('reports.issue', { key: issue.code, params: issue.params, text: issue.text })}</p>
          <p>{keyed('reports.issue', { key: issue.fixCode, params: {}, text: issue.fix })}</p>
        </div>
      ))}
    </div>
  );
}
