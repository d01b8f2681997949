import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { explainHeaders } from '../../../shared/verify/headerExplainer.js';
import { StatusBadge } from '../components/CheckList.js';
import { useKeyedText } from '../text.js';

/**
 * Paste a received message's headers (Gmail's "Show original") and read them explained.
 * Runs offline in the page: the headers never leave it.
 */
export function HeaderExplainer({ asPage = false }: { asPage?: boolean }) {
  const { t } = useTranslation();
  const text = useKeyedText();
  const id = useId();
  const [raw, setRaw] = useState('');
  const [submitted, setSubmitted] = useState('');
  const explanation = useMemo(() => (submitted.trim() === '' ? null : explainHeaders(submitted)), [submitted]);
  return (
    <section aria-labelledby={asPage ? 'step-heading' : `${id}-heading`} className="header-explainer">
      {asPage ? (
        <h1 id="step-heading" tabIndex={-1}>
          {t('verify.headersHeading')}
        </h1>
      ) : (
        <h2 id={`${id}-heading`}>{t('verify.headersHeading')}</h2>
      )}
      <p className="help">{t('verify.headersHelp')}</p>
      <div className="field">
        <label htmlFor={`${id}-headers`}>{t('verify.headersLabel')}</label>
        <textarea id={`${id}-headers`} rows={8} spellCheck={false} value={raw} onChange={(e) => setRaw(e.target.value)} />
      </div>
      <div className="row">
        <button type="button" disabled={raw.trim() === ''} onClick={() => setSubmitted(raw)}>
          {t('verify.explain')}
        </button>
      </div>
      {explanation && (
        <ul className="checks" data-testid="header-explanation">
          {explanation.items.map((item, index) => (
            <li key={index} className={`check ${item.status}`}>
              <div className="check-head">
                <StatusBadge status={item.status} />
                <span className="check-title">
                  {item.header && <code>{item.header}</code>} {text('checks', item.text)}
                </span>
              </div>
              {item.meaning && <p>{text('checks', item.meaning)}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
