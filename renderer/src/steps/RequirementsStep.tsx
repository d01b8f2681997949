import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Check } from '../../../shared/checks.js';
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

/**
 * Why a row says what it says: the judge's reasons (e.g. SPF judged for the relay's addresses),
 * then what its checks found, or why nothing could judge it. A reason that is a listed check's
 * own finding is said once, with the check.
 */
function Why({ row, checks }: { row: RequirementRow; checks: ReadonlyMap<string, Check> }) {
  const { t } = useTranslation();
  const text = useKeyedText();
  const found = row.basis.flatMap((id) => checks.get(id) ?? []);
  const said = new Set(found.flatMap((c) => (c.found ? [c.found.text] : [])));
  const reasons = row.reasons.filter((r) => !said.has(r.text));
  return (
    <>
      {reasons.map((reason) => (
        <p key={reason.key} className="why reason" data-reason={reason.key}>
          {text('checks', reason)}
        </p>
      ))}
      {row.id === 'gmail.spamRate' ? (
        <p className="why">{t('requirements.why.receiverOnly')}</p>
      ) : found.length === 0 ? (
        <p className="why">{t('requirements.why.notChecked')}</p>
      ) : (
        <ul className="why">
          {found.map((check) => (
            <li key={check.id} data-check={check.id} data-status={check.status}>
              {text('checks', check.title)}: {check.found ? text('checks', check.found) : t(`verify.status.${check.status}`)}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function Rows({ rows, checks }: { rows: readonly RequirementRow[]; checks: ReadonlyMap<string, Check> }) {
  const { t } = useTranslation();
  return (
    <table className="requirements">
      <thead>
        <tr>
          <th scope="col">{t('requirements.rule')}</th>
          <th scope="col">{t('requirements.appliesTo')}</th>
          <th scope="col">{t('requirements.result')}</th>
          <th scope="col">{t('requirements.whyHeading')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} data-requirement={row.id} data-status={row.status}>
            <th scope="row">{t(`requirements.rules.${row.id}`)}</th>
            <td>{t(`requirements.scope.${row.scope}`)}</td>
            <td className="result">
              <span className={`badge ${row.status}`}>
                <span aria-hidden="true">{icons[row.status]} </span>
                {t(`verify.status.${row.status}`)}
              </span>
            </td>
            <td className="basis">
              <Why row={row} checks={checks} />
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
  const request = { domain: input.domain, dkim: input.dkim, addresses: input.addresses, resolvers: input.resolvers, ...(values.sessionId ? { sessionId: values.sessionId } : {}) };
  const requestKey = JSON.stringify(request);
  const report = values.requirements;
  // Judged again on arrival when what it is judged from changed (a new key, DNS servers, another
  // server) or a change applied since cleared it (a relay); "check again" runs it on request.
  const needed = input.domain !== '' && (report === null || values.requirementsFor !== requestKey);

  const start = () => {
    void run(request).then((result) => {
      if (result) update({ requirements: result, requirementsFor: requestKey });
    });
  };
  useEffect(() => {
    if (needed) start();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [needed]);
  const checks = new Map((report?.checks ?? []).map((c) => [c.id, c]));

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
                <Rows rows={rows} checks={checks} />
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
