import { useEffect } from 'react';
import { applyLogText } from '../../../shared/i18n/keyedText.js';
import { useTranslation } from 'react-i18next';
import type { ApplyProgress } from '../../../shared/plan.js';
import { Busy } from '../components/Busy.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { useKeyedText } from '../text.js';
import { useApplyCall } from '../wizard/changeCalls.js';
import { usePages } from '../wizard/pages.js';
import { useWizard } from '../wizard/state.js';
import { changeRequestOf } from './ReviewStep.js';

const statusIcon: Record<ApplyProgress['status'], string> = { start: '…', ok: '✓', failed: '✗', info: '·' };

/**
 * How a log line shows: a stage's start once the stage has said more (its own ok or failed
 * line) is left out, and once a later stage has begun it is shown done; otherwise as sent.
 * (Stages that pass quietly send only their start: "…" stayed on them after the apply ended.)
 */
export function shownStatus(entries: readonly ApplyProgress[], index: number): ApplyProgress['status'] | null {
  const entry = entries[index];
  if (entry === undefined) return null;
  if (entry.status !== 'start') return entry.status;
  const later = entries.slice(index + 1);
  if (later.some((e) => e.stage === entry.stage)) return null;
  return later.some((e) => e.stage !== entry.stage) ? 'ok' : 'start';
}

export function Log({ entries }: { entries: readonly ApplyProgress[] }) {
  const { t, i18n } = useTranslation();
  // The stage and status say it in the person's language, and a server's reason (a failure)
  // too, from its code; only a note without one is shown as the server wrote it.
  const logLine = (entry: ApplyProgress): string => applyLogText({ t: (key, params) => t(key, params ?? {}), exists: (key) => i18n.exists(key) }, entry);
  if (entries.length === 0) return null;
  return (
    <ol className="log" aria-label={t('apply.logLabel')}>
      {entries.map((entry, index) => {
        const status = shownStatus(entries, index);
        return status === null ? null : (
          <li key={index} className={status}>
            <span aria-hidden="true">{statusIcon[status]} </span>
            <span className="sr-only">{t(`apply.status.${status}`)} </span>
            <span className="stage">{t(`apply.stage.${entry.stage}`)}</span> {logLine(entry)}
          </li>
        );
      })}
    </ol>
  );
}

export function ApplyStep() {
  const { t } = useTranslation();
  const text = useKeyedText();
  const pages = usePages();
  const { values, update } = useWizard();
  const apply = useApplyCall();
  const { run } = apply;
  const request = changeRequestOf(values);
  const needed = request !== null && values.plan !== null && values.plan.changed && values.applied === null;

  useEffect(() => {
    if (!needed || request === null) return;
    void run(request).then((result) => {
      // The server changed: the way-out page reads it again when next opened.
      if (result) update({ applied: result, outbound: null });
    });
    // Applies once when the step opens after the person confirmed the plan.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [needed, run]);

  const result = values.applied;
  const failed = apply.state.status === 'error' ? apply.state.error : null;
  return (
    <section aria-labelledby="step-heading">
      <h1 id="step-heading" tabIndex={-1}>
        {t('apply.heading')}
      </h1>
      {values.plan === null && <p className="notice info">{t('apply.noPlan')}</p>}
      {values.plan && !values.plan.changed && <p className="notice ok">{t('apply.nothingToDo')}</p>}
      {apply.state.status === 'loading' && <Busy label={t('apply.applying', { host: values.plan?.host ?? '' })} detail={t('apply.dontClose')} />}
      <Log entries={result ? result.log : apply.events} />
      {failed && (
        <>
          {failed.code === 'apply-failed' && (
            <div className="notice warn" role="status">
              <h2>{t('apply.rolledBackHeading')}</h2>
              <p>{t('apply.rolledBackBody')}</p>
            </div>
          )}
          <ErrorNotice error={failed} />
        </>
      )}
      {result && (
        <div className="notice ok" role="status">
          <p>{result.changed ? t('apply.done', { backup: result.backupId ?? '' }) : t('apply.nothingToDo')}</p>
          {result.warnings.map((w, index) => (
            <p key={index} className="detail">
              {text('words.serviceErrors.reason', w)}
            </p>
          ))}
          {result.backupId && (
            <p className="help">
              {t('apply.rollbackHow', { backup: result.backupId })}{' '}
              <button type="button" className="link" onClick={() => pages.open('changes')}>
                {t('pages.changes.link')}
              </button>
            </p>
          )}
        </div>
      )}
    </section>
  );
}
