import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatRecords } from '../../../shared/records/index.js';
import { normalizeDomain } from '../../../shared/validation/domain.js';
import { suggestSelector } from '../../../shared/validation/selector.js';
import { RotationSummary } from '../components/RotationSummary.js';
import { useCall } from '../hooks/useCall.js';
import { ReportsPage } from '../pages/ReportsPage.js';
import { downloadText, recordSetOf } from '../wizard/records.js';
import { nextDates, setupReport } from '../wizard/report.js';
import { usePages } from '../wizard/pages.js';
import { useWizard } from '../wizard/state.js';
import { useRecordWords } from '../text.js';

export function DoneStep() {
  const { t, i18n } = useTranslation();
  const { values } = useWizard();
  const words = useRecordWords();
  const pages = usePages();
  const [now] = useState(() => new Date());
  const dates = nextDates(now);
  const day = (date: Date) => date.toLocaleDateString(i18n.language, { year: 'numeric', month: 'long', day: 'numeric' });
  const set = recordSetOf(values);
  const domain = values.keys[0]?.domain ?? values.domain;
  const verified = values.verified;
  const rotation = useCall('rotationStatus');
  const readRotation = rotation.run;
  const sessionId = values.sessionId;
  // The key's age and a rotation in progress, read from the server when connected.
  useEffect(() => {
    const checked = normalizeDomain(domain);
    if (sessionId !== null && checked.ok) void readRotation({ sessionId, domain: checked.value });
  }, [domain, readRotation, sessionId]);

  return (
    <section aria-labelledby="step-heading">
      <h1 id="step-heading" tabIndex={-1}>
        {t('done.heading')}
      </h1>
      <h2>{t('done.summaryHeading')}</h2>
      <ul className="summary">
        <li>{t('done.server', { target: values.sshTarget || '—' })}</li>
        <li>{t('done.domain', { domain: domain || '—' })}</li>
        {values.keys.map((key) => (
          <li key={key.keyId}>{t('done.key', { selector: key.selector, type: key.type === 'rsa' ? `RSA ${key.bits ?? ''}` : 'Ed25519' })}</li>
        ))}
        <li>{t('done.policy', { policy: values.dmarcPolicy })}</li>
        <li>{values.applied ? (values.applied.changed ? t('done.applied', { backup: values.applied.backupId ?? '' }) : t('done.nothingApplied')) : t('done.notApplied')}</li>
        <li>{verified ? t('done.verified', { ...verified.summary }) : t('done.notVerified')}</li>
      </ul>

      {rotation.state.status === 'done' && (
        <>
          <h2>{t('done.rotationHeading')}</h2>
          <RotationSummary status={rotation.state.result} />
        </>
      )}

      <h2>{t('done.nextHeading')}</h2>
      <ol className="next">
        {values.dmarcPolicy === 'none' && <li>{t('done.nextQuarantine', { date: day(dates.quarantine) })}</li>}
        {values.dmarcPolicy !== 'reject' && <li>{t('done.nextReject', { date: day(dates.reject) })}</li>}
        <li>{t('done.nextRotate', { date: day(dates.rotateKey), selector: suggestSelector(dates.rotateKey) })}</li>
        <li>{t('done.nextReports')}</li>
        <li>
          {t('done.nextUndo')}{' '}
          <button type="button" className="link" onClick={() => pages.open('changes')}>
            {t('pages.changes.link')}
          </button>
        </li>
      </ol>

      <h2>{t('done.exportHeading')}</h2>
      <div className="row">
        <button type="button" disabled={!set.ok} onClick={() => set.ok && downloadText(`${set.set.domain}.zone`, formatRecords(set.set, 'zone', { words }).text)}>
          {t('recordsStep.downloadZone')}
        </button>
        <button type="button" onClick={() => downloadText(`homemail-report-${domain || 'setup'}.txt`, setupReport(values, now, { t: (key, params) => t(key, params ?? {}), exists: (key) => i18n.exists(key) }))}>
          {t('done.downloadReport')}
        </button>
      </div>

      {values.sessionId && (
        <details className="reports">
          <summary>{t('done.reportsHeading')}</summary>
          <ReportsPage sessionId={values.sessionId} domain={domain || undefined} />
        </details>
      )}
    </section>
  );
}
