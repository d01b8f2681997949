import { useTranslation } from 'react-i18next';
import type { SerializedError } from '../../../shared/errors.js';

interface Props {
  error: SerializedError;
  onRetry?: () => void;
}

/** A failed call in the person's language: what happened, then what to do next. */
export function ErrorNotice({ error, onRetry }: Props) {
  const { t, i18n } = useTranslation();
  // A field as the wizard labels it, not as the CLI option is spelled ("identity" is the key file).
  const fieldName = (name: string) => (i18n.exists(`fields.${name}`) ? t(`fields.${name}`) : name);
  if (error.code === 'cancelled') {
    return (
      <div className="notice info" role="status">
        <p>{t('errors.cancelled')}</p>
        {onRetry && (
          <button type="button" onClick={onRetry}>
            {t('app.retry')}
          </button>
        )}
      </div>
    );
  }
  const field = error.details?.field;
  return (
    <div className="notice error" role="alert" data-error-code={error.code}>
      <p className="notice-title">{t(`errors.${error.code}`, { message: error.message })}</p>
      <p>
        <strong>{t('app.whatNext')}</strong> {t(`errorHints.${error.code}`)}
      </p>
      {typeof field === 'string' && <p className="detail">{t('app.field', { field: fieldName(field) })}</p>}
      {error.hint && (
        // The service's hint speaks to the command line (flags, commands): kept, but as the
        // technical detail it is, in English; the line above is the wizard's own advice.
        <details className="technical">
          <summary>{t('app.technicalDetails')}</summary>
          <p className="detail" lang="en" translate="no">
            {error.hint}
          </p>
        </details>
      )}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t('app.retry')}
        </button>
      )}
    </div>
  );
}
