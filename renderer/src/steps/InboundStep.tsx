import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { allowEntryFrom, type AllowEntry, type BlocklistTest } from '../../../shared/inbound.js';
import { Busy } from '../components/Busy.js';
import { Choice } from '../components/Choice.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { useCall } from '../hooks/useCall.js';
import { AppliedNotice } from '../components/AppliedNotice.js';
import { useWizard } from '../wizard/state.js';
import { Log } from './ApplyStep.js';
import { ChangeReview } from './ReviewStep.js';

type HostnameRule = 'keep' | 'reverse' | 'strict';
const rules: readonly HostnameRule[] = ['keep', 'reverse', 'strict'];

function Blocklists({ tests }: { tests: readonly BlocklistTest[] }) {
  const { t } = useTranslation();
  if (tests.length === 0) return <p className="notice info">{t('inbound.noLists')}</p>;
  return (
    <table className="blocklists">
      <thead>
        <tr>
          <th scope="col">{t('inbound.list')}</th>
          <th scope="col">{t('inbound.where')}</th>
          <th scope="col">{t('inbound.health')}</th>
        </tr>
      </thead>
      <tbody>
        {tests.map((test) => (
          <tr key={`${test.use.parameter}-${test.use.zone}`} data-zone={test.use.zone}>
            <th scope="row">
              <code>{test.use.zone}</code>
            </th>
            <td>
              <code>{test.use.parameter}</code>
            </td>
            <td>
              <span className={`badge ${test.status === 'working' ? 'pass' : 'fail'}`}>{t(`inbound.status.${test.status}`)}</span>
              <p className="help">{t(`inbound.statusHelp.${test.status}`)}</p>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Allowlist lines → entries; blank lines and `#` comments are skipped. */
export function allowEntries(text: string): AllowEntry[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map(allowEntryFrom);
}

export function InboundStep() {
  const { t } = useTranslation();
  const { values, update } = useWizard();
  const id = useId();
  const check = useCall('checkInbound');
  const plan = useCall('planInbound');
  const apply = useCall('applyInbound');
  const { run: runCheck } = check;
  // Proposed by default, unless no list answered at all: then the server's resolver is the likelier culprit.
  const [removeDeadChoice, setRemoveDead] = useState<boolean | null>(null);
  const [rule, setRule] = useState<HostnameRule>('keep');
  const [allowText, setAllowText] = useState('');
  const sessionId = values.sessionId;
  const report = values.inbound;
  const needed = sessionId !== null && report === null;

  useEffect(() => {
    if (!needed || sessionId === null) return;
    void runCheck({ sessionId }).then((result) => {
      if (result) update({ inbound: result });
    });
    // Checks once per connection; "check again" runs it on request.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [needed, sessionId, runCheck]);

  if (sessionId === null) {
    return (
      <section aria-labelledby="step-heading">
        <h1 id="step-heading" tabIndex={-1}>
          {t('inbound.heading')}
        </h1>
        <p className="notice info">{t('findings.notConnected')}</p>
      </section>
    );
  }

  const deadCount = report?.blocklists.filter((b) => b.remove).length ?? 0;
  const removeDead = removeDeadChoice ?? report?.resolverWarning === null;
  const allow = allowEntries(allowText);
  const request = {
    sessionId,
    removeDead: removeDead && deadCount > 0,
    hostnameRule: rule,
    allow: rule === 'keep' ? [] : allow,
    domain: values.domain || values.inspection?.postfix?.mydomain || values.inspection?.target.host || 'localhost',
  };
  const changeSomething = request.removeDead || rule !== 'keep';
  const reviewed = values.inboundPlan;
  const showPlan = () => {
    void plan.run(request).then((result) => {
      if (result) update({ inbound: result.inbound, inboundPlan: result.plan, inboundApplied: null });
    });
  };
  const runApply = () => {
    void apply.run(request).then((result) => {
      if (result) update({ inbound: null, inboundPlan: null, inboundApplied: result.result });
    });
  };
  const again = () => {
    update({ inbound: null, inboundPlan: null });
    check.reset();
  };
  const applied = values.inboundApplied;

  return (
    <section aria-labelledby="step-heading">
      <h1 id="step-heading" tabIndex={-1}>
        {t('inbound.heading')}
      </h1>
      <p>{t('inbound.intro')}</p>
      <p className="help">{t('inbound.optional')}</p>
      {check.state.status === 'loading' && <Busy label={t('inbound.checking')} onCancel={check.cancel} />}
      {check.state.status === 'error' && <ErrorNotice error={check.state.error} onRetry={again} />}
      {applied && <AppliedNotice result={applied} doneText={t('inbound.applied', { backup: applied.backupId ?? '' })} undoText={t('inbound.undoHow')} />}
      {report && check.state.status !== 'loading' && (
        <>
          <h2>{t('inbound.listsHeading')}</h2>
          <p className="help">{t('inbound.listsHelp')}</p>
          <Blocklists tests={report.blocklists} />
          {report.resolverWarning !== null && <p className="notice warn">{t('inbound.resolverWarning')}</p>}
          {deadCount > 0 && (
            <Choice
              type="checkbox"
              label={t('inbound.removeDead', { count: deadCount })}
              help={t('inbound.removeDeadHelp')}
              checked={removeDead}
              onChange={(checked) => {
                setRemoveDead(checked);
                update({ inboundPlan: null });
              }}
            />
          )}

          <h2>{t('inbound.ruleHeading')}</h2>
          <p>{t(`inbound.current.${report.clientHostname.current}`)}</p>
          {report.clientHostname.connections > 0 && (
            <p className="help">{t('inbound.logShare', { unknown: report.clientHostname.unknownClients, total: report.clientHostname.connections })}</p>
          )}
          <p className="help">{t('inbound.ruleExplain')}</p>
          <fieldset className="field">
            <legend>{t('inbound.ruleLegend')}</legend>
            {rules.map((r) => (
              <Choice
                key={r}
                type="radio"
                name={`${id}-rule`}
                label={t(`inbound.rule.${r}`)}
                help={t(`inbound.ruleHelp.${r}`)}
                checked={rule === r}
                onChange={() => {
                  setRule(r);
                  update({ inboundPlan: null });
                }}
              />
            ))}
          </fieldset>
          {rule !== 'keep' && (
            <div className="field">
              <label htmlFor={`${id}-allow`}>{t('inbound.allowLabel')}</label>
              <p className="help" id={`${id}-allow-help`}>
                {t('inbound.allowHelp')}
              </p>
              <textarea
                id={`${id}-allow`}
                rows={4}
                spellCheck={false}
                aria-describedby={`${id}-allow-help`}
                value={allowText}
                onChange={(event) => {
                  setAllowText(event.target.value);
                  update({ inboundPlan: null });
                }}
              />
              {allow.length > 0 && (
                <ul className="allow-preview">
                  {allow.map((entry, index) => (
                    <li key={index}>
                      <code>{entry.value}</code> {t(`inbound.allowKind.${entry.kind}`)}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}

          <div className="row">
            <button type="button" disabled={!changeSomething || plan.state.status === 'loading'} onClick={showPlan}>
              {t('inbound.showChanges')}
            </button>
            <button type="button" className="secondary" onClick={again}>
              {t('inbound.again')}
            </button>
          </div>
          {!changeSomething && <p className="help">{t('inbound.nothingChosen')}</p>}
        </>
      )}
      {plan.state.status === 'loading' && <Busy label={t('review.planning')} onCancel={plan.cancel} />}
      {plan.state.status === 'error' && <ErrorNotice error={plan.state.error} onRetry={showPlan} />}
      {reviewed && plan.state.status !== 'loading' && apply.state.status !== 'loading' && (
        <ChangeReview plan={reviewed} className="inbound-review" heading={t('review.heading')} onApply={runApply} />
      )}
      {apply.state.status === 'loading' && <Busy label={t('apply.applying', { host: reviewed?.host ?? '' })} detail={t('apply.dontClose')} />}
      <Log entries={applied ? applied.log : apply.events} />
      {apply.state.status === 'error' && <ErrorNotice error={apply.state.error} />}
    </section>
  );
}
