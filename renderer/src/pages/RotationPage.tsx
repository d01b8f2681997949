import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { buildDkimRecord, dnsProviderPresets, type DnsRecord } from '../../../shared/records/index.js';
import { ROTATION_STEPS, type RotationStatus, type RotationStep } from '../../../shared/rotation.js';
import { normalizeDomain } from '../../../shared/validation/domain.js';
import { Busy } from '../components/Busy.js';
import { Choice } from '../components/Choice.js';
import { CopyButton } from '../components/CopyButton.js';
import { Diff } from '../components/Diff.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { ResolverField } from '../components/ResolverField.js';
import { useCall, type CallHandle } from '../hooks/useCall.js';
import { Log } from '../steps/ApplyStep.js';
import { splitList } from '../wizard/choices.js';
import { hostIn, valueIn } from '../wizard/records.js';
import { useWizard } from '../wizard/state.js';

/** One record to publish, as the chosen provider's form wants it, each field with its copy button. */
function RecordToPublish({ record, origin, heading }: { record: DnsRecord; origin: string; heading: string }) {
  const { t } = useTranslation();
  const { values } = useWizard();
  const preset = values.preset === 'zone' ? null : (dnsProviderPresets.find((p) => p.id === values.preset) ?? null);
  const host = hostIn(preset, record, origin);
  const value = valueIn(preset, record);
  return (
    <div className="rotation-record" data-record={record.name}>
      <h3>{heading}</h3>
      <p>
        <code>{host === '' ? record.name : host}</code> <code>{record.type}</code>{' '}
        <CopyButton text={host} label={t('recordsStep.copyNameOf', { name: record.name })}>
          {t('recordsStep.copyName')}
        </CopyButton>
      </p>
      <pre className="value" data-value>
        {value}
      </pre>
      <CopyButton text={value} label={t('recordsStep.copyValueOf', { name: record.name })} />
      <p className="help">{t('rotation.presetNote', { preset: preset?.name ?? t('recordsStep.presetZone') })}</p>
    </div>
  );
}

function recordsOf(status: RotationStatus): { fresh: DnsRecord | null; revoke: DnsRecord | null } {
  const state = status.state;
  if (state === null) return { fresh: null, revoke: null };
  let fresh: DnsRecord;
  try {
    fresh = buildDkimRecord({ domain: status.domain, selector: state.new.selector, keyType: state.new.type, publicKey: state.new.publicKey, ttl: 3600 });
  } catch {
    return { fresh: null, revoke: null };
  }
  const value = status.revokeRecord?.value ?? '';
  const revoke: DnsRecord = { ...fresh, name: status.revokeRecord?.name ?? '', value, strings: [value], selector: state.old.selector };
  return { fresh, revoke };
}

/** After Switch: a message through the server, fetched back and verified, shows the new signature passing (send-test). */
function SendTestProof({ sessionId, domain, selector, handle }: { sessionId: string; domain: string; selector: string; handle: CallHandle<'sendTest'> }) {
  const { t } = useTranslation();
  const { values } = useWizard();
  const report = handle.state.status === 'done' ? handle.state.result : null;
  const results = (report?.messages ?? []).flatMap((m) => (m.authenticationResults === null ? [] : [{ path: m.path, text: m.authenticationResults }]));
  const passed = results.some(({ text }) => text.split('; ').some((part) => part.startsWith('dkim=pass ') && part.endsWith(` header.s=${selector}`)));
  return (
    <div className="rotation-send-test">
      <button type="button" className="secondary" disabled={handle.state.status === 'loading'} onClick={() => void handle.run({ sessionId, domain, resolvers: splitList(values.resolvers) })}>
        {t('rotation.sendTest')}
      </button>
      {handle.state.status === 'loading' && <Busy label={t('rotation.sending')} onCancel={handle.cancel} />}
      {handle.state.status === 'error' && <ErrorNotice error={handle.state.error} />}
      {report !== null && (
        <>
          <p className={`notice ${passed ? 'ok' : 'warn'}`} role="status" data-send-test={passed ? 'pass' : 'fail'}>
            {passed ? t('rotation.sendTestPass', { selector }) : t('rotation.sendTestFail', { selector })}
          </p>
          {results.map((r) => (
            <div key={r.path}>
              <p>{t(`words.checks.how.${r.path}`)}</p>
              <pre className="value">{r.text}</pre>
            </div>
          ))}
        </>
      )}
    </div>
  );
}

/** The "Rotation" page: the DKIM key rotation's steps, where it stands and what comes next, read from the server. */
export function RotationPage({ sessionId }: { sessionId: string }) {
  const { t, i18n } = useTranslation();
  const { values } = useWizard();
  const id = useId();
  const [domain, setDomain] = useState(values.keys[0]?.domain ?? values.domain);
  const [emergency, setEmergency] = useState(false);
  const [overlap, setOverlap] = useState('');
  const [current, setShown] = useState<RotationStatus | null>(null);
  // When the status was read: whether the next step's earliest date has come.
  const [readAt, setReadAt] = useState(0);
  const setCurrent = useCallback((status: RotationStatus) => {
    setShown(status);
    setReadAt(Date.now());
  }, []);
  const status = useCall('rotationStatus');
  const start = useCall('startRotation');
  const advance = useCall('continueRotation');
  const undo = useCall('undoRotation');
  const preview = useCall('previewRotation');
  const send = useCall('sendTest');
  const read = status.run;
  const previewRun = preview.run;
  const checked = normalizeDomain(domain);

  const checkedDomain = checked.ok ? checked.value : null;
  const [initialDomain] = useState(checkedDomain);

  const load = useCallback(async () => {
    if (checkedDomain === null) return;
    const result = await read({ sessionId, domain: checkedDomain });
    if (result) setCurrent(result);
  }, [checkedDomain, read, sessionId, setCurrent]);

  // The page opens on the wizard's domain, read from the server at once.
  useEffect(() => {
    if (initialDomain === null) return;
    void read({ sessionId, domain: initialDomain }).then((result) => result && setCurrent(result));
  }, [initialDomain, read, sessionId, setCurrent]);

  // Before Switch (and Remove) the person sees exactly what changes on the server.
  useEffect(() => {
    if (current?.next === 'switch' || current?.next === 'remove') void previewRun({ sessionId, domain: current.domain });
  }, [current?.next, current?.domain, previewRun, sessionId]);

  const when = (iso: string | null) =>
    iso === null ? '—' : new Date(iso).toLocaleString(i18n.language, { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  const day = (iso: string) => new Date(iso).toLocaleDateString(i18n.language, { year: 'numeric', month: 'long', day: 'numeric' });
  const busy = [start, advance, undo].find((c) => c.state.status === 'loading');
  const failed = [start, advance, undo].find((c) => c.state.status === 'error');
  const state = current?.state ?? null;
  const inProgress = state !== null && current?.finished !== true;
  const next = current?.next ?? null;
  const notYet = current?.earliest != null && Date.parse(current.earliest) > readAt;
  const { fresh, revoke } = current === null ? { fresh: null, revoke: null } : recordsOf(current);

  const only = (keep: typeof start | typeof advance | typeof undo) => {
    for (const handle of [start, advance, undo]) if (handle !== keep) handle.reset();
  };
  const begin = async () => {
    if (!checked.ok) return;
    only(start);
    const days = overlap.trim() === '' ? undefined : Number(overlap);
    const result = await start.run({ sessionId, domain: checked.value, emergency, ...(days === undefined || Number.isNaN(days) ? {} : { overlapDays: days }) });
    if (result) setCurrent(result.status);
  };
  const goOn = async () => {
    if (current === null) return;
    only(advance);
    const result = await advance.run({ sessionId, domain: current.domain, resolvers: splitList(values.resolvers) });
    if (result) setCurrent(result.status);
  };
  const back = async () => {
    if (current === null) return;
    only(undo);
    const result = await undo.run({ sessionId, domain: current.domain });
    if (result) setCurrent(result.status);
  };
  const stepState = (step: RotationStep): 'done' | 'current' | 'todo' => {
    if (state === null) return 'todo';
    if (ROTATION_STEPS.indexOf(step) <= ROTATION_STEPS.indexOf(state.done)) return 'done';
    return step === next ? 'current' : 'todo';
  };

  return (
    <section aria-labelledby="step-heading" className="rotation">
      <h1 id="step-heading" tabIndex={-1}>
        {t('pages.rotation.heading')}
      </h1>
      <p>{t('rotation.intro')}</p>

      <div className="row">
        <label htmlFor={`${id}-domain`}>{t('rotation.domainLabel')}</label>
        <input id={`${id}-domain`} value={domain} onChange={(e) => setDomain(e.target.value)} autoComplete="off" spellCheck={false} />
        <button type="button" className="secondary" disabled={!checked.ok} onClick={() => void load()}>
          {t('rotation.read')}
        </button>
      </div>

      {status.state.status === 'loading' && <Busy label={t('rotation.reading')} onCancel={status.cancel} />}
      {status.state.status === 'error' && <ErrorNotice error={status.state.error} onRetry={() => void load()} />}

      {current?.key && (
        <p className="key-age" data-key-age>
          {t('rotation.keyAge', { selector: current.key.selector, since: day(current.key.since), next: day(current.key.suggestedRotation) })}
        </p>
      )}

      {current !== null && (
        <ol className="rotation-steps" aria-label={t('rotation.stepsLabel')}>
          {ROTATION_STEPS.map((step) => (
            <li key={step} className={stepState(step)} data-rotation-step={step} aria-current={stepState(step) === 'current' ? 'step' : undefined}>
              <strong>{t(`rotation.step.${step}.title`)}</strong> <span className="sr-only">({t(`rotation.state.${stepState(step)}`)})</span>
              <span className="help"> — {t(`rotation.step.${step}.what`)}</span>
              {state?.dates[step] !== undefined && <span className="help"> ({when(state.dates[step] ?? null)})</span>}
            </li>
          ))}
        </ol>
      )}

      {current !== null && !inProgress && (
        <div className="rotation-start">
          {current.finished && <p className="notice ok">{t('rotation.finished', { selector: state?.new.selector ?? '' })}</p>}
          <h2>{t('rotation.startHeading')}</h2>
          <p className="help">{t('rotation.startHelp')}</p>
          <Choice type="checkbox" label={t('rotation.emergencyLabel')} help={t('rotation.emergencyHelp')} checked={emergency} onChange={setEmergency} />
          <div className="row">
            <label htmlFor={`${id}-overlap`}>{t('rotation.overlapLabel')}</label>
            <input id={`${id}-overlap`} inputMode="numeric" value={overlap} onChange={(e) => setOverlap(e.target.value)} aria-describedby={`${id}-overlap-help`} size={4} />
          </div>
          <p id={`${id}-overlap-help`} className="help">
            {t('rotation.overlapHelp')}
          </p>
          <button type="button" className="primary" disabled={busy !== undefined || !checked.ok} onClick={() => void begin()}>
            {t('rotation.startButton')}
          </button>
        </div>
      )}

      {inProgress && state !== null && current !== null && (
        <div className="rotation-progress" data-next={next ?? ''}>
          {state.emergency && <p className="notice warn">{t('rotation.emergencyNote')}</p>}
          <p>{t('rotation.keys', { old: state.old.selector, fresh: state.new.selector, bits: state.new.bits ?? '', type: state.new.type === 'rsa' ? 'RSA' : 'Ed25519' })}</p>
          {next !== null && (
            <p className="rotation-next" data-earliest={current.earliest ?? ''}>
              {t('rotation.next', { step: t(`rotation.step.${next}.title`), date: when(current.earliest) })}
            </p>
          )}
          {current.overlapShortened && <p className="notice warn">{t('rotation.overlapShortened', { days: state.overlapDays, minimum: state.minimumOverlapDays })}</p>}
          {next !== null && <p className="help">{t(`rotation.todo.${next}`, { old: state.old.selector, fresh: state.new.selector })}</p>}
          {fresh !== null && (next === 'publish' || next === 'switch') && <RecordToPublish record={fresh} origin={current.domain} heading={t('rotation.newRecord')} />}
          {revoke !== null && (next === 'overlap' || next === 'revoke') && <RecordToPublish record={revoke} origin={current.domain} heading={t('rotation.revokeRecord')} />}
          {(next === 'switch' || next === 'remove') && preview.state.status === 'done' && preview.state.result !== null && (
            <details className="rotation-diff" open>
              <summary>{t('rotation.diffHeading', { step: t(`rotation.step.${next}.title`) })}</summary>
              <ul className="file-changes">
                {preview.state.result.files.map((file) => (
                  <li key={file.path} className="file-change">
                    <h4>
                      <code>{file.path}</code> <span className="badge info">{t(`review.kind.${file.kind}`)}</span>
                    </h4>
                    <Diff diff={file.diff} />
                  </li>
                ))}
              </ul>
            </details>
          )}
          {preview.state.status === 'error' && <ErrorNotice error={preview.state.error} />}
          {next === 'overlap' && <SendTestProof sessionId={sessionId} domain={current.domain} selector={state.new.selector} handle={send} />}
          {(next === 'publish' || next === 'switch' || next === 'revoke') && <ResolverField />}
          <div className="row">
            {next !== null && (
              <button type="button" className="primary" disabled={busy !== undefined || notYet} onClick={() => void goOn()}>
                {t(`rotation.do.${next}`)}
              </button>
            )}
            <button type="button" className="secondary" disabled={busy !== undefined} onClick={() => void back()}>
              {t('rotation.undo', { step: t(`rotation.step.${state.done}.title`) })}
            </button>
          </div>
          {notYet && <p className="help">{t('rotation.notYet', { date: when(current.earliest) })}</p>}
        </div>
      )}

      {busy !== undefined && <Busy label={t('rotation.working')} detail={t('apply.dontClose')} />}
      {busy !== undefined && <Log entries={busy.events} />}
      {failed !== undefined && failed.state.status === 'error' && <ErrorNotice error={failed.state.error} />}
      {[start, advance, undo].some((c) => c.state.status === 'done') && busy === undefined && failed === undefined && (
        <p className="notice ok" role="status">
          {t('rotation.stepDone')}
        </p>
      )}
    </section>
  );
}
