import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { languages, setLanguage, type Language } from './i18n.js';
import { steps } from './wizard/steps.js';
import { useWizard } from './wizard/state.js';

export function App() {
  const { t, i18n } = useTranslation();
  const { values } = useWizard();
  const [index, setIndex] = useState(0);
  const step = steps[index] ?? steps[0];
  if (!step) return null;
  const StepComponent = step.component;
  const goNext = () => setIndex((i) => Math.min(i + 1, steps.length - 1));

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">{t('app.title')}</span>
        <span className="tagline">{t('app.tagline')}</span>
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
      <div className="frame">
        <nav className="steps" aria-label={t('app.stepsLabel')}>
          <ol>
            {steps.map((s, i) => (
              <li key={s.id} className={i === index ? 'current' : i < index ? 'done' : 'todo'} aria-current={i === index ? 'step' : undefined}>
                {t(s.titleKey)}
              </li>
            ))}
          </ol>
        </nav>
        <main className="content" data-step={step.id}>
          <StepComponent goNext={goNext} />
          <div className="actions">
            {index > 0 && (
              <button type="button" className="secondary" onClick={() => setIndex(index - 1)}>
                {t('app.back')}
              </button>
            )}
            {index < steps.length - 1 && (
              <button type="button" className="primary" disabled={!step.canAdvance(values)} onClick={goNext}>
                {t('app.next')}
              </button>
            )}
          </div>
        </main>
      </div>
    </div>
  );
}
