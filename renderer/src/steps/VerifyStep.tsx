import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ResolverField } from '../components/ResolverField.js';
import type { TFunction } from 'i18next';
import type { VerifyProgress, VerifyReport } from '../../../shared/contract/verify.js';
import { Busy } from '../components/Busy.js';
import { Choice } from '../components/Choice.js';
import { CheckList } from '../components/CheckList.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { useCall } from '../hooks/useCall.js';
import { splitList } from '../wizard/choices.js';
import { useWizard, type WizardValues } from '../wizard/state.js';
import { HeaderExplainer } from './HeaderExplainer.js';

/** How long "keep checking" waits for DNS, and how often it asks. */
export const WAIT_SECONDS = 1800;
export const INTERVAL_SECONDS = 10;

export function verifyInputOf(values: WizardValues, wait: boolean) {
  const addresses = splitList(values.spfAddresses).filter((a) => !a.includes('/'));
  const interfaces = (values.inspection?.addresses ?? []).filter((a) => a.scope !== 'link-local').map((a) => a.address);
  return {
    domain: values.keys[0]?.domain ?? values.domain,
    dkim: values.keys.map((k) => ({ selector: k.selector, publicKey: k.publicKey, keyType: k.type })),
    addresses,
    interfaceAddresses: interfaces,
    resolvers: splitList(values.resolvers),
    discoverAddress: addresses.length === 0,
    waitSeconds: wait ? WAIT_SECONDS : 0,
    intervalSeconds: INTERVAL_SECONDS,
  };
}

function progressText(t: TFunction, progress: VerifyProgress | null): { detail?: string; fraction?: number } {
  if (!progress) return {};
  if (progress.kind === 'phase') return { detail: t(`verify.phase.${progress.phase}`, { done: progress.done, total: progress.total }), fraction: progress.total > 0 ? progress.done / progress.total : 0 };
  return { detail: t('verify.round', { round: progress.round, count: progress.failing.length + progress.behind.length }) };
}

/** The signed test message: sent through the server, fetched back and its signature verified. */
function SendTest() {
  const { t } = useTranslation();
  const { values } = useWizard();
  const send = useCall('sendTest');
  const sessionId = values.sessionId;
  if (sessionId === null) return null;
  const input = verifyInputOf(values, false);
  const run = () => void send.run({ sessionId, domain: input.domain, addresses: input.addresses, resolvers: input.resolvers });
  const result = send.state.status === 'done' ? send.state.result : null;
  return (
    <div className="send-test">
      <h2>{t('verify.sendHeading')}</h2>
      <p className="help">{t('verify.sendHelp')}</p>
      {send.state.status !== 'loading' && (
        <button type="button" onClick={run}>
          {result ? t('verify.sendAgain') : t('verify.send')}
        </button>
      )}
      {send.state.status === 'loading' && <Busy label={t('verify.sending')} onCancel={send.cancel} />}
      {send.state.status === 'error' && <ErrorNotice error={send.state.error} onRetry={run} />}
      {result && (
        <>
          <div className={`notice ${result.ok ? 'ok' : 'error'}`} role="status" data-testid="send-summary" data-ok={result.ok}>
            <p className="notice-title">{result.ok ? t('verify.sendOk', { to: result.to }) : t('verify.sendFailed')}</p>
            <p>{t('verify.summary', { ...result.summary })}</p>
          </div>
          <CheckList checks={result.checks} />
        </>
      )}
    </div>
  );
}

function Summary({ report }: { report: VerifyReport }) {
  const { t } = useTranslation();
  const allGood = report.ok && report.summary.warn === 0 && report.summary.unknown === 0;
  return (
    <div className={`notice ${report.ok ? 'ok' : 'error'}`} role="status" data-testid="verify-summary" data-ok={report.ok} data-settled={report.settled}>
      <p className="notice-title">{allGood ? t('verify.allGood') : report.ok ? t('verify.okWithNotes') : t('verify.someFailed')}</p>
      <p>{t('verify.summary', { ...report.summary })}</p>
      {report.ok && !report.settled && <p className="help">{t('verify.notSettled')}</p>}
    </div>
  );
}

export function VerifyStep() {
  const { t } = useTranslation();
  const { values, update } = useWizard();
  const id = useId();
  const verify = useCall('verifyDns');
  const [wait, setWait] = useState(true);
  const running = verify.state.status === 'loading';
  const report = verify.state.status === 'done' ? verify.state.result : values.verified;

  const check = async () => {
    const result = await verify.run(verifyInputOf(values, wait));
    if (result) update({ verified: result });
  };
  const progress = progressText(t, verify.progress);

  return (
    <section aria-labelledby="step-heading">
      <h1 id="step-heading" tabIndex={-1}>
        {t('verify.heading')}
      </h1>
      <p>{t('verify.intro')}</p>
      {values.keys.length === 0 && <p className="notice info">{t('recordsStep.noKeys')}</p>}
      <fieldset disabled={running}>
        <div className="field">
          <label htmlFor={`${id}-ip`}>{t('verify.ipLabel')}</label>
          <input id={`${id}-ip`} type="text" spellCheck={false} value={values.spfAddresses} onChange={(e) => update({ spfAddresses: e.target.value })} />
        </div>
        <ResolverField />
        <Choice type="checkbox" label={t('verify.waitLabel')} checked={wait} onChange={setWait} />
      </fieldset>
      {!running && (
        <div className="row">
          <button type="button" className="primary" disabled={values.keys.length === 0} onClick={() => void check()}>
            {report ? t('verify.runAgain') : t('verify.run')}
          </button>
        </div>
      )}
      {running && <Busy label={t(wait ? 'verify.waiting' : 'verify.checking')} detail={progress.detail} fraction={progress.fraction} onCancel={verify.cancel} />}
      {verify.state.status === 'error' && <ErrorNotice error={verify.state.error} onRetry={() => void check()} />}
      {report && !running && (
        <>
          <Summary report={report} />
          <h2>{t('verify.resultsHeading')}</h2>
          <CheckList checks={report.checks} />
          <SendTest />
          <details>
            <summary>{t('verify.resolversHeading')}</summary>
            <ul>
              {report.resolvers.map((r) => (
                <li key={r.address}>
                  {r.label} — {r.usable ? t('verify.resolverUsable') : t('verify.resolverUnusable', { problem: r.problemCode ? t(`words.checks.reason.${r.problemCode}`, { defaultValue: r.problem ?? r.problemCode }) : '' })}
                  {r.primary ? ` (${t('verify.primary')})` : ''}
                </li>
              ))}
            </ul>
          </details>
        </>
      )}
      <HeaderExplainer />
    </section>
  );
}
