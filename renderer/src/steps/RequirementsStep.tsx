import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Receiver, RequirementRow, RequirementStatus } from '../../../shared/outbound.js';
import { Busy } from '../components/Busy.js';
import { CopyButton } from '../components/CopyButton.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { useCall } from '../hooks/useCall.js';
import { useKeyedText } from '../text.js';
import { useWizard } from '../wizard/state.js';
import { verifyInputOf } from './VerifyStep.js';

const receivers: readonly Receiver[] = ['gmail', 'yahoo', 'outlook'];
const icons: Record<RequirementStatus, string> = { pass: '✓', fail: '✗', unknown: '?' };

function Rows({ rows }: { rows: readonly RequirementRow[] }) {
  const { t } = useTranslation();
  const text = useKeyedText();
  return (
    <table className="requirements">
      <thead>
        <tr>
          <th scope="col">{t('requirements.rule')}</th>
          <th scope="col">{t('requirements.appliesTo')}</th>
          <th scope="col">{t('requirements.result')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} data-requirement={row.id} data-status={row.status}>
            <th scope="row">{t(`requirements.rules.${row.id}`)}</th>
            <td>{t(`requirements.scope.${row.scope}`)}</td>
            <td>
              <span className={`badge ${row.status}`}>
                <span aria-hidden="true">{icons[row.status]} </span>
                {t(`verify.status.${row.status}`)}
              </span>
              {row.reasons.map((reason) => (
                <p key={reason.key} className="help reason" data-reason={reason.key}>
                  {text('checks', reason)}
                </p>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The sender requirements of Gmail, Yahoo and Outlook.com, each judged from the checks, with the receiver's own page. */
export function RequirementsView() {
  const { t } = useTranslation();
  const { values, update } = useWizard();
  const check = useCall('checkRequirements');
  const { run } = check;
  const input = verifyInputOf(values, false);
  const report = values.requirements;
  const needed = input.domain !== '' && report === null;

  const start = () => {
    void run({ domain: input.domain, dkim: input.dkim, addresses: input.addresses, resolvers: input.resolvers, ...(values.sessionId ? { sessionId: values.sessionId } : {}) }).then((result) => {
      if (result) update({ requirements: result });
    });
  };
  useEffect(() => {
    if (needed) start();
    // Checks once; "check again" runs it on request.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [needed]);

  return (
    <section aria-labelledby="step-heading" className="requirements-page">
      <h1 id="step-heading" tabIndex={-1}>
        {t('requirements.heading')}
      </h1>
      <p>{t('requirements.intro')}</p>
      {input.domain === '' && <p className="notice info">{t('requirements.noDomain')}</p>}
      {check.state.status === 'loading' && <Busy label={t('requirements.checking', { domain: input.domain })} onCancel={check.cancel} />}
      {check.state.status === 'error' && <ErrorNotice error={check.state.error} onRetry={start} />}
      {report && check.state.status !== 'loading' && (
        <>
          {!report.serverChecked && <p className="notice info">{t('requirements.dnsOnly')}</p>}
          {receivers.map((receiver) => {
            const rows = report.rows.filter((r) => r.receiver === receiver);
            const source = rows[0]?.source ?? '';
            return (
              <div key={receiver} className="receiver" data-receiver={receiver}>
                <h2>{t(`requirements.receiver.${receiver}`)}</h2>
                <p className="help source">
                  {t('requirements.source')}: <span className="url">{source}</span> <CopyButton text={source} label={t('requirements.copySource', { receiver: t(`requirements.receiver.${receiver}`) })} />
                </p>
                <Rows rows={rows} />
              </div>
            );
          })}
          <p className="help">{t('requirements.unknownHelp')}</p>
          <button type="button" className="secondary" onClick={start}>
            {t('requirements.again')}
          </button>
        </>
      )}
    </section>
  );
}

export function RequirementsStep() {
  return <RequirementsView />;
}
