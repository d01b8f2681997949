import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { languages, setLanguage, type Language } from './i18n.js';
import { StatusPage } from './pages/StatusPage.js';
import { steps } from './wizard/steps.js';
import { useWizard } from './wizard/state.js';

export function App({ startAt = 0 }: { startAt?: number }) {
  const { t, i18n } = useTranslation();
  const { values } = useWizard();
  const [index, setIndex] = useState(startAt);
  const [reached, setReached] = useState(startAt);
  const [showStatus, setShowStatus] = useState(false);
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  const step = steps[index] ?? steps[0];

  // Moving to another step puts the keyboard and screen reader at its heading.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [index]);

  if (!step) return null;
  const StepComponent = step.component;
  const go = (next: number) => {
    const bounded = Math.max(0, Math.min(next, steps.length - 1));
    setIndex(bounded);
    setReached((r) => Math.max(r, bounded));
  };
  const goNext = () => go(index + 1);

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">{t('app.title')}</span>
        <span className="tagline">{t('app.tagline')}</span>
        <button type="button" className="secondary status-toggle" onClick={() => setShowStatus((shown) => !shown)}>
          {showStatus ? t('watch.backToWizard') : t('watch.nav')}
        </button>
        <label className="language">
          <span>{t('app.language')}</span>
          <select value={i18n.language} onChange={(event) => setLanguage(event.target.value as Language)}>
            {languages.map((language) => (
              <option key={language} value={language}>
                {language === 'ja' ? '日本語' : 'English'}
              </option>
            ))}
          </select>
        </label>
      </header>
      {showStatus && (
        <main className="content" data-step="status">
          <StatusPage />
        </main>
      )}
      {/* Hidden, not unmounted, while the Status page shows: the wizard keeps its place. */}
      <div className="frame" hidden={showStatus}>
        <nav className="steps" aria-label={t('app.stepsLabel')}>
          <ol>
            {steps.map((s, i) => (
              <li key={s.id} className={i === index ? 'current' : i < reached || i < index ? 'done' : 'todo'}>
                {i <= reached && i !== index ? (
                  <button type="button" className="link" onClick={() => go(i)}>
                    {t(s.titleKey)}
                  </button>
                ) : (
                  <span aria-current={i === index ? 'step' : undefined}>{t(s.titleKey)}</span>
                )}
              </li>
            ))}
          </ol>
        </nav>
        <main className="content" data-step={step.id} ref={main}>
          <StepComponent goNext={goNext} />
          <div className="actions">
            {index > 0 && (
              <button type="button" className="secondary" onClick={() => go(index - 1)}>
                {t('app.back')}
              </button>
            )}
            {index < steps.length - 1 && step.canAdvance(values) && (
              <button type="button" className="primary" onClick={goNext}>
                {t('app.next')}
              </button>
            )}
          </div>
        </main>
      </div>
    </div>
  );
}
