import { useTranslation } from 'react-i18next';

export function WelcomeStep() {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="step-heading">
      <h1 id="step-heading" tabIndex={-1}>
        {t('welcome.heading')}
      </h1>
      <p>{t('welcome.intro')}</p>
      <h2>{t('welcome.needsHeading')}</h2>
      <ul>
        <li>{t('welcome.needSsh')}</li>
        <li>{t('welcome.needDns')}</li>
      </ul>
      <h2>{t('welcome.stepsHeading')}</h2>
      <ol>
        <li>{t('welcome.planConnect')}</li>
        <li>{t('welcome.planRecords')}</li>
        <li>{t('welcome.planApply')}</li>
        <li>{t('welcome.planVerify')}</li>
      </ol>
      <h2>{t('welcome.timeHeading')}</h2>
      <ul>
        <li>{t('welcome.time')}</li>
        <li>{t('welcome.dnsWait')}</li>
      </ul>
      <h2>{t('welcome.undoHeading')}</h2>
      <p className="reassurance">{t('welcome.safety')}</p>
      <p>{t('welcome.backups')}</p>
      <p>{t('welcome.undo')}</p>
    </section>
  );
}
