import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useWizard } from '../wizard/state.js';

/** "DNS servers to ask instead": one field for every step that asks DNS (records, review, verify). */
export function ResolverField() {
  const { t } = useTranslation();
  const { values, update } = useWizard();
  const id = useId();
  return (
    <details open={values.resolvers !== ''}>
      <summary>{t('verify.advanced')}</summary>
      <div className="field">
        <label htmlFor={`${id}-resolvers`}>{t('verify.resolverLabel')}</label>
        <input
          id={`${id}-resolvers`}
          type="text"
          spellCheck={false}
          placeholder="192.0.2.53, 192.0.2.54:5353"
          aria-describedby={`${id}-resolvers-help`}
          value={values.resolvers}
          onChange={(e) => update({ resolvers: e.target.value })}
        />
        <p id={`${id}-resolvers-help`} className="help">
          {t('verify.resolverHelp')}
        </p>
      </div>
    </details>
  );
}
