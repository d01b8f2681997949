import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Finding, FindingSeverity, Inspection } from '../../../shared/inspection.js';
import { Busy } from '../components/Busy.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { useCall } from '../hooks/useCall.js';
import { useKeyedText } from '../text.js';
import { useWizard } from '../wizard/state.js';

const severityOrder: readonly FindingSeverity[] = ['problem', 'warning', 'info'];

function FindingList({ findings, severity }: { findings: readonly Finding[]; severity: FindingSeverity }) {
  const { t } = useTranslation();
  const text = useKeyedText();
  const items = findings.filter((f) => f.severity === severity);
  if (items.length === 0) return null;
  return (
    <div className={`findings ${severity}`}>
      <h2>{t(`findings.heading.${severity}`, { count: items.length })}</h2>
      <ul>
        {items.map((finding, index) => (
          <li key={`${finding.key}-${index}`} data-finding={finding.key}>
            {text('findings', finding)}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Facts({ inspection }: { inspection: Inspection }) {
  const { t } = useTranslation();
  const { postfix, opendkim } = inspection;
  const unknown = t('findings.unknown');
  return (
    <dl className="facts">
      <dt>{t('findings.fact.system')}</dt>
      <dd>{inspection.os.prettyName ?? unknown}</dd>
      <dt>{t('findings.fact.hostname')}</dt>
      <dd>{inspection.hostname ?? unknown}</dd>
      <dt>{t('findings.fact.postfix')}</dt>
      <dd>{postfix ? t('findings.fact.version', { version: postfix.version ?? unknown }) : t('findings.fact.notInstalled')}</dd>
      <dt>{t('findings.fact.opendkim')}</dt>
      <dd>{opendkim.installed ? t('findings.fact.version', { version: opendkim.version ?? unknown }) : t('findings.fact.notInstalled')}</dd>
      <dt>{t('findings.fact.keys')}</dt>
      <dd>
        {opendkim.keys.length === 0
          ? t('findings.fact.noKeys')
          : opendkim.keys.map((key) => `${key.selector ?? '?'} (${key.keyType ?? '?'}${key.bits ? ` ${key.bits}` : ''})`).join(', ')}
      </dd>
      <dt>{t('findings.fact.privilege')}</dt>
      <dd>{t(`findings.privilege.${inspection.privilege}`)}</dd>
    </dl>
  );
}

export function FindingsStep() {
  const { t } = useTranslation();
  const { values, update } = useWizard();
  const inspect = useCall('inspectServer');
  const { run } = inspect;
  const sessionId = values.sessionId;
  const needed = sessionId !== null && values.inspection === null;

  useEffect(() => {
    if (!needed || sessionId === null) return;
    void run({ sessionId }).then((inspection) => {
      if (inspection) update({ inspection, domain: values.domain || inspection.postfix?.mydomain || '' });
    });
    // Runs once per session: values.domain is read only to keep a domain already typed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [needed, sessionId, run]);

  const again = () => {
    if (sessionId === null) return;
    void run({ sessionId }).then((inspection) => {
      if (inspection) update({ inspection });
    });
  };

  return (
    <section aria-labelledby="step-heading">
      <h1 id="step-heading" tabIndex={-1}>
        {t('findings.title')}
      </h1>
      {sessionId === null && <p className="notice info">{t('findings.notConnected')}</p>}
      {inspect.state.status === 'loading' && <Busy label={t('findings.inspecting', { target: values.sshTarget })} onCancel={inspect.cancel} />}
      {inspect.state.status === 'error' && <ErrorNotice error={inspect.state.error} onRetry={again} />}
      {values.inspection && inspect.state.status !== 'loading' && (
        <>
          <p>{t('findings.intro', { host: values.inspection.hostname ?? values.inspection.target.host })}</p>
          {values.inspection.findings.length === 0 && <p className="notice ok">{t('findings.none')}</p>}
          {severityOrder.map((severity) => (
            <FindingList key={severity} findings={values.inspection?.findings ?? []} severity={severity} />
          ))}
          <details>
            <summary>{t('findings.factsHeading')}</summary>
            <Facts inspection={values.inspection} />
          </details>
          <p className="reassurance">{t('findings.nothingChanged')}</p>
          <button type="button" className="secondary" onClick={again}>
            {t('findings.again')}
          </button>
        </>
      )}
    </section>
  );
}
