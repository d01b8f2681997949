import { useTranslation } from 'react-i18next';
import type { SerializedError } from '../../../shared/errors.js';

interface Props {
  error: SerializedError;
  onRetry?: () => void;
}

/** A failed call in the person's language: what happened, then what to do next. */
export function ErrorNotice({ error, onRetry }: Props) {
  const { t } = useTranslation();
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
      {error.hint && <p className="detail">{error.hint}</p>}
      {typeof field === 'string' && <p className="detail">{t('app.field', { field })}</p>}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t('app.retry')}
        </button>
      )}
    </div>
  );
}
