import { useTranslation } from 'react-i18next';

export function WelcomeStep() {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="welcome-heading">
      <h1 id="welcome-heading">{t('welcome.heading')}</h1>
      <p>{t('welcome.intro')}</p>
      <h2>{t('welcome.needsHeading')}</h2>
      <ul>
        <li>{t('welcome.needSsh')}</li>
        <li>{t('welcome.needDns')}</li>
      </ul>
      <p>{t('welcome.time')}</p>
      <p className="reassurance">{t('welcome.safety')}</p>
    </section>
  );
}
