import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TLS_AT_LEAST_MAY, type OutboundReport } from '../../../shared/outbound.js';
import type { ApplyResult, Plan } from '../../../shared/plan.js';
import { Busy } from '../components/Busy.js';
import { CheckList } from '../components/CheckList.js';
import { Choice } from '../components/Choice.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { useCall } from '../hooks/useCall.js';
import { usePages } from '../wizard/pages.js';
import { AppliedNotice } from '../components/AppliedNotice.js';
import { splitList } from '../wizard/choices.js';
import { useWizard } from '../wizard/state.js';
import { Log } from './ApplyStep.js';
import { ChangeReview } from './ReviewStep.js';

const DEFAULT_PROBE_DOMAIN = 'gmail.com';

/**
 * The way out: whether mail can leave the server (port 25), and what receivers see of it
 * (public address, policy list, reverse name, TLS, certificate, a relay). One question on
 * screen: where port 25 is blocked, the one decision is to set up a relay.
 */
export function OutboundView() {
  const { t } = useTranslation();
  const pages = usePages();
  const { values, update } = useWizard();
  const id = useId();
  const check = useCall('checkOutbound');
  const { run } = check;
  // The receiving domain tried last is kept: coming back (after a relay is set up) tries it again.
  const [probeDomain, setProbeDomain] = useState(values.probeDomain || DEFAULT_PROBE_DOMAIN);
  // A TLS apply's outcome outlives the findings it changed: they are checked again at once.
  const [tlsApplied, setTlsApplied] = useState<ApplyResult | null>(null);
  const sessionId = values.sessionId;
  const report = values.outbound;
  const domain = values.keys[0]?.domain ?? (values.domain || undefined);
  const resolvers = splitList(values.resolvers);
  const needed = sessionId !== null && report === null;
  // Port 25 blocked, but a relay already takes the mail out on another port: nothing to set up.
  const relayed = report?.port25 === 'blocked' ? report.relay.relayhost : null;

  const start = (probe: string) => {
    if (sessionId === null) return;
    void run({ sessionId, probeDomain: probe, ...(domain ? { domain } : {}), ...(resolvers.length > 0 ? { resolvers } : {}) }).then((result) => {
      if (result) update({ outbound: result, probeDomain: probe === DEFAULT_PROBE_DOMAIN ? '' : probe });
    });
  };
  useEffect(() => {
    if (needed) start(values.probeDomain || DEFAULT_PROBE_DOMAIN);
    // Checks once per connection (and again after a relay is applied); "check again" runs it on request.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [needed]);

  if (sessionId === null) {
    return (
      <section aria-labelledby="step-heading">
        <h1 id="step-heading" tabIndex={-1}>
          {t('outbound.heading')}
        </h1>
        <p className="notice info">{t('findings.notConnected')}</p>
      </section>
    );
  }

  return (
    <section aria-labelledby="step-heading" className="outbound">
      <h1 id="step-heading" tabIndex={-1}>
        {t('outbound.heading')}
      </h1>
      <p>{t('outbound.intro')}</p>
      {tlsApplied && (
        <>
          <AppliedNotice result={tlsApplied} doneText={t('outbound.tls.applied', { backup: tlsApplied.backupId ?? '' })} undoText={t('outbound.tls.undoHow')} />
          <Log entries={tlsApplied.log} />
        </>
      )}
      {check.state.status === 'loading' && <Busy label={t('outbound.checking', { domain: probeDomain })} onCancel={check.cancel} />}
      {check.state.status === 'error' && <ErrorNotice error={check.state.error} onRetry={() => start(probeDomain)} />}
      {report && check.state.status !== 'loading' && (
        <>
          <div className={`notice ${report.port25 === 'open' || relayed !== null ? 'ok' : report.port25 === 'blocked' ? 'warn' : 'info'}`} role="status" data-port25={report.port25}>
            <p>
              <strong>{t(`outbound.port25.${report.port25}`, { host: report.port25Probe.host ?? report.port25Probe.probeDomain })}</strong>
            </p>
            <p>{relayed !== null ? t('outbound.port25Meaning.relayed', { relay: relayed }) : t(`outbound.port25Meaning.${report.port25}`)}</p>
            {report.port25 === 'blocked' && relayed === null && <RelayLink />}
          </div>
          <p>
            {t('outbound.publicAddress')}: <strong>{report.publicAddress === 'unknown' ? t('outbound.addressUnknown') : report.publicAddress}</strong>
          </p>
          <h2>{t('outbound.findingsHeading')}</h2>
          <CheckList checks={report.checks} />
          <TlsFix
            sessionId={sessionId}
            report={report}
            domain={domain ?? report.certificate.expectedName ?? 'localhost'}
            onApplied={(result) => {
              setTlsApplied(result);
              start(probeDomain.trim() || DEFAULT_PROBE_DOMAIN);
            }}
          />
          <form
            className="probe-again"
            onSubmit={(event) => {
              event.preventDefault();
              start(probeDomain.trim() || DEFAULT_PROBE_DOMAIN);
            }}
          >
            <label htmlFor={`${id}-probe`}>{t('outbound.probeDomain')}</label>
            <p className="help" id={`${id}-probe-help`}>
              {t('outbound.probeDomainHelp')}
            </p>
            <input id={`${id}-probe`} aria-describedby={`${id}-probe-help`} value={probeDomain} onChange={(event) => setProbeDomain(event.target.value)} spellCheck={false} autoComplete="off" />
            <button type="submit" className="secondary">
              {t('outbound.again')}
            </button>
          </form>
          <p>
            <button type="button" className="link" onClick={() => pages.open('requirements')}>
              {t('outbound.toRequirements')}
            </button>
          </p>
        </>
      )}
    </section>
  );
}

/**
 * Outbound TLS at least `may`, and smtpd's certificate switched to the Let's Encrypt one the
 * finding offers: plan, review, apply (the key must belong to the certificate), undo on the
 * Changes page. Shown only when one of the two would change something.
 */
function TlsFix({ sessionId, report, domain, onApplied }: { sessionId: string; report: OutboundReport; domain: string; onApplied: (result: ApplyResult) => void }) {
  const { t } = useTranslation();
  const plan = useCall('planTls');
  const apply = useCall('applyTls');
  const offer = report.certificate.letsEncrypt;
  const [useOffer, setUseOffer] = useState(true);
  const [reviewed, setReviewed] = useState<Plan | null>(null);
  const weak = !TLS_AT_LEAST_MAY.has(report.tls.outboundLevel.trim());
  if (!weak && offer === null) return null;
  const request = () => ({ sessionId, domain, letsEncrypt: offer !== null && useOffer ? offer.name : null });
  const applied = apply.state.status === 'done' ? apply.state.result.result : null;
  return (
    <div className="tls-fix">
      <h2>{t('outbound.tls.heading')}</h2>
      {weak && <p>{t('outbound.tls.weak', { level: report.tls.outboundLevel.trim() || 'none' })}</p>}
      {offer !== null && (
        <Choice
          type="checkbox"
          label={t('outbound.tls.useOffer', { name: offer.name })}
          help={t('outbound.tls.offerHelp', { fullchain: offer.fullchain, date: offer.summary.notAfter.slice(0, 10) })}
          checked={useOffer}
          onChange={() => {
            setUseOffer(!useOffer);
            setReviewed(null);
          }}
        />
      )}
      <button
        type="button"
        disabled={plan.state.status === 'loading' || (!weak && !useOffer)}
        onClick={() => {
          setReviewed(null);
          void plan.run(request()).then((result) => {
            if (result) setReviewed(result);
          });
        }}
      >
        {t('outbound.tls.showChanges')}
      </button>
      {plan.state.status === 'loading' && <Busy label={t('review.planning')} onCancel={plan.cancel} />}
      {plan.state.status === 'error' && <ErrorNotice error={plan.state.error} />}
      {reviewed && plan.state.status !== 'loading' && apply.state.status !== 'loading' && (
        <ChangeReview
          plan={reviewed}
          className="tls-review"
          heading={t('review.heading')}
          note={t('outbound.tls.healthHelp')}
          onApply={() => {
            void apply.run(request()).then((result) => {
              if (!result) return;
              setReviewed(null);
              if (result.result.changed) onApplied(result.result);
            });
          }}
        />
      )}
      {apply.state.status === 'loading' && <Busy label={t('apply.applying', { host: reviewed?.host ?? '' })} detail={t('apply.dontClose')} />}
      {/* A change is reported by the step above the findings it renews; here only "nothing to do". */}
      {applied && !applied.changed && <AppliedNotice result={applied} doneText="" undoText={t('outbound.tls.undoHow')} />}
      {!applied && <Log entries={apply.events} />}
      {apply.state.status === 'error' && <ErrorNotice error={apply.state.error} />}
    </div>
  );
}

/** The relay set-up (the relay step or page, id `relay`), linked only where the wizard has it. */
function RelayLink() {
  const { t } = useTranslation();
  const pages = usePages();
  if (!pages.has('relay')) return <p className="help">{t('outbound.relayHow')}</p>;
  return (
    <button type="button" className="primary" onClick={() => pages.go('relay')}>
      {t('outbound.toRelay')}
    </button>
  );
}

export function OutboundStep() {
  return <OutboundView />;
}
