import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useWizard } from '../wizard/state.js';

export function ServerStep() {
  const { t } = useTranslation();
  const { values, update } = useWizard();
  const targetId = useId();
  return (
    <section aria-labelledby="server-heading">
      <h1 id="server-heading">{t('server.heading')}</h1>
      <div className="field">
        <label htmlFor={targetId}>{t('server.targetLabel')}</label>
        <input
          id={targetId}
          name="sshTarget"
          type="text"
          autoComplete="off"
          spellCheck={false}
          placeholder={t('server.targetPlaceholder')}
          aria-describedby={`${targetId}-help`}
          value={values.sshTarget}
          onChange={(event) => update({ sshTarget: event.target.value })}
        />
        <p id={`${targetId}-help`} className="help">
          {t('server.targetHelp')}
        </p>
      </div>
    </section>
  );
}
