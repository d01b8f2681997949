import { useTranslation } from 'react-i18next';
import type { SerializedError } from '../../../shared/errors.js';
import { errorMessageText } from '../../../shared/i18n/keyedText.js';
import { useKeyedText } from '../text.js';

interface Props {
  error: SerializedError;
  onRetry?: () => void;
}

/** A failed call in the person's language: what happened, then what to do next. */
export function ErrorNotice({ error, onRetry }: Props) {
  const { t, i18n } = useTranslation();
  const keyed = useKeyedText();
  // A field as the wizard labels it, not as the CLI option is spelled ("identity" is the key file).
  // A field inside a list (the contract's path, "dkim.0.selector") by the label of the list it belongs to.
  const fieldName = (name: string) => {
    const labelled = [name, name.split('.')[0] ?? name].find((key) => !key.includes('.') && i18n.exists(`fields.${key}`));
    return labelled === undefined ? name : t(`fields.${labelled}`);
  };
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
  // The service's sentence by its code (notes after it); a refused value's problem is a validation code, its field labelled below.
  const message = errorMessageText(keyed, error);
  return (
    <div className="notice error" role="alert" data-error-code={error.code}>
      <p className="notice-title">{t(`errors.${error.code}`, { message })}</p>
      {/* What to do next: the service's own advice when it has one, else the code's general one (not both: the general line read as noise beside it). */}
      <p>
        <strong>{t('app.whatNext')}</strong> {error.hintSentence ? keyed('serviceHints', { ...error.hintSentence, text: error.hint ?? '' }) : t(`errorHints.${error.code}`)}
      </p>
      {typeof field === 'string' && <p className="detail">{t('app.field', { field: fieldName(field) })}</p>}
      {error.output !== undefined && (
        // A program's own output (a server command's stderr), quoted as it was printed: not a sentence of ours.
        <details className="technical">
          <summary>{t('app.technicalDetails')}</summary>
          <pre className="detail" translate="no">
            {error.output}
          </pre>
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
