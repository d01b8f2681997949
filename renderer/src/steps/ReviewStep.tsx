import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { secretNoteKey, type Plan, type PlannedCommand, type PlannedFile } from '../../../shared/plan.js';
import { Busy } from '../components/Busy.js';
import { Choice } from '../components/Choice.js';
import { Diff } from '../components/Diff.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { ResolverField } from '../components/ResolverField.js';
import { useCall } from '../hooks/useCall.js';
import { useKeyedText } from '../text.js';
import { usePlanCall, type ChangeRequest } from '../wizard/changeCalls.js';
import { splitList } from '../wizard/choices.js';
import type { StepProps } from '../wizard/steps.js';
import { useWizard, type WizardValues } from '../wizard/state.js';

export function changeRequestOf(values: WizardValues): ChangeRequest | null {
  if (values.sessionId === null || values.keys.length === 0) return null;
  return {
    sessionId: values.sessionId,
    domain: values.keys[0]?.domain ?? values.domain,
    keyIds: values.keys.map((k) => k.keyId),
    rua: splitList(values.rua),
    ruf: splitList(values.ruf),
    resolvers: splitList(values.resolvers),
    skipDnsCheck: values.signBeforeVisible,
  };
}

const RECHECK_MS = 15_000;

/**
 * Publish before sign: "record visible at your DNS servers: yes / not yet" per selector, checked
 * again until it is, and the explicit confirmation to sign before then (with what receivers see).
 */
function PublishGate({ onVisible }: { onVisible: (visible: boolean) => void }) {
  const { t } = useTranslation();
  const text = useKeyedText();
  const { values, update } = useWizard();
  const check = useCall('checkDkimPublished');
  const [keepChecking, setKeepChecking] = useState(true);
  const domain = values.keys[0]?.domain ?? values.domain;
  const input = { domain, keys: values.keys.map((k) => ({ selector: k.selector, publicKey: k.publicKey })), resolvers: splitList(values.resolvers) };
  // The latest question, for the timer; typing DNS servers does not re-check at each keystroke.
  const latest = useRef(input);
  useEffect(() => {
    latest.current = input;
  });
  const inputKey = JSON.stringify({ ...input, resolvers: [] });
  const report = check.state.status === 'done' ? check.state.result : null;
  const allVisible = report?.allVisible === true;

  useEffect(() => {
    void check.run(latest.current).then((result) => onVisible(result?.allVisible === true));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- checks again when the question changes
  }, [inputKey]);
  useEffect(() => {
    if (!keepChecking || allVisible) return;
    const timer = window.setInterval(() => {
      void check.run(latest.current).then((result) => onVisible(result?.allVisible === true));
    }, RECHECK_MS);
    return () => window.clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the interval restarts when the question changes
  }, [keepChecking, allVisible, inputKey]);

  return (
    <div className="publish-gate" data-testid="publish-gate" data-visible={allVisible ? 'yes' : 'no'}>
      <h2>{t('review.gateHeading')}</h2>
      <ul className="gate-selectors">
        {(report?.selectors ?? values.keys.map((k) => ({ selector: k.selector, name: `${k.selector}._domainkey.${domain}`, visible: 'unknown' as const, servers: [] }))).map((s) => (
          <li key={s.selector} data-selector={s.selector} data-visible={s.visible}>
            <code>{s.name}</code>: {t('review.gateVisible')} <strong>{t(`review.gateState.${s.visible}`)}</strong>
            {s.servers.length > 0 && (
              <ul className="gate-servers" aria-label={t('review.gateServers')}>
                {s.servers.map((a) => (
                  <li key={a.server} data-visible={a.visible}>
                    {a.server}: {text('checks', a.answer)}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
      {report?.problem && <p className="help">{t('review.gateNoServer')}</p>}
      {check.state.status === 'loading' && <p className="help">{t('review.gateChecking')}</p>}
      {check.state.status === 'error' && <ErrorNotice error={check.state.error} onRetry={() => void check.run(input).then((r) => onVisible(r?.allVisible === true))} />}
      {!allVisible && (
        <>
          <Choice type="checkbox" label={t('review.gateKeepChecking')} checked={keepChecking} onChange={setKeepChecking} />
          <button type="button" className="secondary" onClick={() => void check.run(input).then((r) => onVisible(r?.allVisible === true))}>
            {t('review.gateCheckNow')}
          </button>
          <Choice
            type="checkbox"
            label={t('review.gateSignAnyway')}
            help={t('review.gateSignAnywayWhy')}
            checked={values.signBeforeVisible}
            onChange={(checked) => update({ signBeforeVisible: checked })}
          />
        </>
      )}
      <ResolverField />
    </div>
  );
}

export function FileChange({ file }: { file: PlannedFile }) {
  const { t } = useTranslation();
  const text = useKeyedText();
  return (
    <li className="file-change" data-path={file.path}>
      <h3>
        <code>{file.path}</code> <span className="badge info">{t(`review.kind.${file.kind}`)}</span>
      </h3>
      <p className="help">
        {text('plan', file.why)} · {t('review.ownership', { owner: file.owner, group: file.group, mode: file.mode })}
      </p>
      {file.secret ? <p className="notice info">{t(secretNoteKey(file))}</p> : <Diff diff={file.diff} />}
    </li>
  );
}

/** The commands of a plan, in order, each with what it does in words. */
export function PlannedCommands({ commands }: { commands: readonly PlannedCommand[] }) {
  const text = useKeyedText();
  return (
    <ol className="commands">
      {commands.map((c, index) => (
        <li key={index}>
          {text('plan', c.words)}
          <pre>{c.command}</pre>
        </li>
      ))}
    </ol>
  );
}

/**
 * A plan to review before a feature applies it (the inbound step, the relay page): notes, each
 * file's diff, the commands, and the confirmation that enables Apply.
 */
export function ChangeReview({ plan, className, heading, note, onApply }: { plan: Plan; className: string; heading: string; note?: string; onApply: () => void }) {
  const { t } = useTranslation();
  const text = useKeyedText();
  const [confirmed, setConfirmed] = useState(false);
  return (
    <div className={className}>
      <h2>{heading}</h2>
      <p className="reassurance">{t('review.nothingYet')}</p>
      {!plan.changed && <p className="notice ok">{t('review.alreadyDone')}</p>}
      {plan.notes.length > 0 && (
        <ul className="notes">
          {plan.notes.map((n, index) => (
            <li key={`${n.key}-${index}`}>{text('plan', n)}</li>
          ))}
        </ul>
      )}
      <ul className="file-changes">
        {plan.files.map((file) => (
          <FileChange key={file.path} file={file} />
        ))}
      </ul>
      {plan.commands.length > 0 && (
        <>
          <h3>{t('review.commandsHeading')}</h3>
          <PlannedCommands commands={plan.commands} />
        </>
      )}
      {plan.changed && (
        <>
          <p className="help">{t('review.backupHelp')}</p>
          {note !== undefined && <p className="help">{note}</p>}
          <div className="confirm">
            <Choice type="checkbox" label={t('review.confirmLabel', { host: plan.host })} checked={confirmed} onChange={setConfirmed} />
            <button type="button" className="primary" disabled={!confirmed} onClick={onApply}>
              {t('review.applyButton')}
            </button>
          </div>
        </>
      )}
    </div>
  );
}

export function ReviewStep({ goNext }: StepProps) {
  const { t } = useTranslation();
  const text = useKeyedText();
  const { values, update } = useWizard();
  const plan = usePlanCall();
  const { run } = plan;
  const [confirmed, setConfirmed] = useState(false);
  const [visible, setVisible] = useState(false);
  const request = changeRequestOf(values);
  const needed = request !== null && values.plan === null;

  useEffect(() => {
    if (!needed || request === null) return;
    void run(request).then((result) => {
      if (result) update({ plan: result, applied: null });
    });
    // The request is rebuilt each render; running once per missing plan is the intent.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [needed, run]);

  const again = () => {
    if (request === null) return;
    void run(request).then((result) => {
      if (result) update({ plan: result, applied: null });
    });
  };

  const current = values.plan;
  return (
    <section aria-labelledby="step-heading">
      <h1 id="step-heading" tabIndex={-1}>
        {t('review.heading')}
      </h1>
      {request === null && <p className="notice info">{t('review.notReady')}</p>}
      {plan.state.status === 'loading' && <Busy label={t('review.planning')} onCancel={plan.cancel} />}
      {plan.state.status === 'error' && <ErrorNotice error={plan.state.error} onRetry={again} />}
      {current && plan.state.status !== 'loading' && (
        <>
          <p className="reassurance">{t('review.nothingYet')}</p>
          {!current.changed && <p className="notice ok">{t('review.alreadyDone')}</p>}
          {current.notes.length > 0 && (
            <ul className="notes">
              {current.notes.map((n, index) => (
                <li key={`${n.key}-${index}`}>{text('plan', n)}</li>
              ))}
            </ul>
          )}
          {current.interrupted.length > 0 && (
            <div className="notice warn">
              <h2>{t('review.interruptedHeading')}</h2>
              <ul>
                {current.interrupted.map((i) => (
                  <li key={i.backupId}>{t(`apply.interrupted.${i.outcome}`, { id: i.backupId })}</li>
                ))}
              </ul>
            </div>
          )}
          {current.files.length > 0 && (
            <>
              <h2>{t('review.filesHeading', { count: current.files.length })}</h2>
              <ul className="file-changes">
                {current.files.map((file) => (
                  <FileChange key={file.path} file={file} />
                ))}
              </ul>
            </>
          )}
          {current.commands.length > 0 && (
            <>
              <h2>{t('review.commandsHeading')}</h2>
              <PlannedCommands commands={current.commands} />
            </>
          )}
          {current.backedUp.length > 0 && (
            <>
              <h2>{t('review.backupHeading')}</h2>
              <p className="help">{t('review.backupHelp')}</p>
              <ul className="paths">
                {current.backedUp.map((path) => (
                  <li key={path}>
                    <code>{path}</code>
                  </li>
                ))}
              </ul>
            </>
          )}
          {current.changed && <PublishGate onVisible={setVisible} />}
          {current.changed && (
            <div className="confirm">
              <Choice type="checkbox" label={t('review.confirmLabel', { host: current.host })} checked={confirmed} onChange={setConfirmed} />
              <button type="button" className="primary" disabled={!confirmed || !(visible || values.signBeforeVisible)} onClick={goNext}>
                {t('review.applyButton')}
              </button>
            </div>
          )}
          <button type="button" className="secondary" onClick={again}>
            {t('review.again')}
          </button>
        </>
      )}
    </section>
  );
}
