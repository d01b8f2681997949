import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMediaQuery } from './hooks/useMediaQuery.js';
import { callApi } from './api.js';
import { languages, savedLanguage, setLanguage, type Language } from './i18n.js';
import { ChangesPage } from './pages/ChangesPage.js';
import { HeadersPage } from './pages/HeadersPage.js';
import { OutboundView } from './steps/OutboundStep.js';
import { RequirementsView } from './steps/RequirementsStep.js';
import { RelayPage } from './pages/RelayPage.js';
import { ReportsPage } from './pages/ReportsPage.js';
import { RotationPage } from './pages/RotationPage.js';
import { StatusPage } from './pages/StatusPage.js';
import { pageIds, PagesContext, type PageId } from './wizard/pages.js';
import { loadWizard, saveWizard } from './wizard/persist.js';
import { steps } from './wizard/steps.js';
import { useWizard } from './wizard/state.js';

function PageView({ page, toServer }: { page: PageId; toServer: () => void }) {
  const { t } = useTranslation();
  const { values } = useWizard();
  if (page === 'headers') return <HeadersPage />;
  // The watched servers' history is on this computer: no connection needed.
  if (page === 'status') return <StatusPage />;
  // Both say themselves what they need (a connection, a domain).
  if (page === 'outbound') return <OutboundView />;
  if (page === 'requirements') return <RequirementsView />;
  const heading = t(`pages.${page}.heading`);
  if (values.sessionId === null) {
    return (
      <section aria-labelledby="step-heading">
        <h1 id="step-heading" tabIndex={-1}>
          {heading}
        </h1>
        <p className="notice info">{t('pages.connectFirst')}</p>
        <button type="button" onClick={toServer}>
          {t('pages.toServer')}
        </button>
      </section>
    );
  }
  if (page === 'changes') return <ChangesPage sessionId={values.sessionId} />;
  if (page === 'rotation') return <RotationPage sessionId={values.sessionId} />;
  if (page === 'relay') return <RelayPage sessionId={values.sessionId} />;
  return (
    <section aria-labelledby="step-heading">
      <h1 id="step-heading" tabIndex={-1}>
        {heading}
      </h1>
      <ReportsPage sessionId={values.sessionId} domain={values.keys[0]?.domain ?? (values.domain || undefined)} titled={false} />
    </section>
  );
}

/** Tells the main process the person's language, for what it says without a page (desktop notifications). */
function keepLanguage(language: Language): void {
  void callApi('setLanguage', { language }).catch(() => undefined);
}

/** The person's language choice: the page follows it at once, and the main process keeps it. */
function chooseLanguage(language: Language): void {
  setLanguage(language);
  keepLanguage(language);
}

export function App({ startAt = 0, persistKey }: { startAt?: number; persistKey?: string }) {
  const { t, i18n } = useTranslation();
  const { values } = useWizard();
  const [saved] = useState(() => (persistKey === undefined ? null : loadWizard(persistKey)));
  // A reload on the apply step before it finished comes back to the review: applying again is the person's call.
  const [index, setIndex] = useState(() => {
    const at = Math.min(saved?.index ?? startAt, steps.length - 1);
    return steps[at]?.id === 'apply' && values.applied === null ? steps.findIndex((s) => s.id === 'review') : at;
  });
  const [reached, setReached] = useState(() => Math.min(saved?.reached ?? startAt, steps.length - 1));
  useEffect(() => {
    if (persistKey !== undefined) saveWizard(persistKey, { index, reached });
  }, [persistKey, index, reached]);
  const [page, setPage] = useState<PageId | null>(null);
  const main = useRef<HTMLElement>(null);
  const pagesMenu = useRef<HTMLDetailsElement>(null);
  const first = useRef(true);
  const step = steps[index] ?? steps[0];
  // Narrow in em (the user agent's text size): 200 % zoom or 32 px text on a laptop screen folds the step list.
  const compact = useMediaQuery('(max-width: 60em)');
  const pages = useMemo(
    () => ({
      open: (next: PageId) => setPage(next),
      has: (id: string) => steps.some((s) => s.id === id) || (pageIds as readonly string[]).includes(id),
      go: (id: string) => {
        const stepIndex = steps.findIndex((s) => s.id === id);
        if (stepIndex >= 0) {
          setPage(null);
          setIndex(stepIndex);
          setReached((r) => Math.max(r, stepIndex));
        } else if ((pageIds as readonly string[]).includes(id)) setPage(id as PageId);
      },
    }),
    [],
  );

  // A choice made on this page before (kept in its storage) reaches the main process too.
  useEffect(() => {
    const saved = savedLanguage();
    if (saved) keepLanguage(saved);
  }, []);

  // Moving to another step or page puts the keyboard and screen reader at its heading.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [index, page]);

  if (!step) return null;
  const StepComponent = step.component;
  const go = (next: number) => {
    const bounded = Math.max(0, Math.min(next, steps.length - 1));
    setPage(null);
    setIndex(bounded);
    setReached((r) => Math.max(r, bounded));
  };
  const goNext = () => go(index + 1);
  const serverIndex = steps.findIndex((s) => s.id === 'server');

  const stepList = (
    <ol>
      {steps.map((s, i) => (
        <li key={s.id} className={i === index && page === null ? 'current' : i < reached || i < index ? 'done' : 'todo'}>
          {i <= reached && (i !== index || page !== null) ? (
            <button type="button" className="link" onClick={() => go(i)}>
              {t(s.titleKey)}
            </button>
          ) : (
            <span aria-current={i === index && page === null ? 'step' : undefined}>{t(s.titleKey)}</span>
          )}
        </li>
      ))}
    </ol>
  );

  const pageList = (
    <ul>
      {pageIds.map((id) => (
        <li key={id}>
          <button
            type="button"
            className="link"
            aria-current={page === id ? 'page' : undefined}
            onClick={() => {
              if (pagesMenu.current) pagesMenu.current.open = false;
              setPage(id);
            }}
          >
            {t(id === 'status' ? 'watch.nav' : `pages.${id}.link`)}
          </button>
        </li>
      ))}
    </ul>
  );

  return (
    <PagesContext.Provider value={pages}>
      <div className="app">
        <header className="topbar">
          <span className="brand">{t('app.title')}</span>
          <span className="tagline">{t('app.tagline')}</span>
          <nav className="page-links" aria-label={t('pages.navLabel')}>
            {compact ? (
              // Narrow windows (large text, zoom): the page links fold like the step list, so the step's heading stays on the first screen.
              <details className="pages-compact" ref={pagesMenu}>
                <summary>{t('pages.navLabel')}</summary>
                {pageList}
              </details>
            ) : (
              pageList
            )}
          </nav>
          <label className="language">
            <span>{t('app.language')}</span>
            <select value={i18n.language} onChange={(event) => chooseLanguage(event.target.value as Language)}>
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
            {compact ? (
              <details className="steps-compact">
                <summary>{t('app.stepOf', { current: index + 1, total: steps.length, title: t(step.titleKey) })}</summary>
                {stepList}
              </details>
            ) : (
              stepList
            )}
          </nav>
          <main className="content" data-step={page === null ? step.id : page === 'status' ? 'status' : undefined} data-page={page ?? undefined} ref={main}>
            {page !== null ? (
              <>
                <PageView page={page} toServer={() => go(serverIndex)} />
                <div className="actions">
                  <button type="button" className="secondary" onClick={() => setPage(null)}>
                    {t('pages.backToStep', { title: t(step.titleKey) })}
                  </button>
                </div>
              </>
            ) : (
              <>
                <StepComponent goNext={goNext} />
                <div className="actions">
                  {index > 0 && (
                    <button type="button" className="secondary" onClick={() => go(index - 1)}>
                      {t('app.back')}
                    </button>
                  )}
                  {index < steps.length - 1 && step.canAdvance(values) && (
                    <button type="button" className="primary" onClick={goNext}>
                      {t(step.nextKey?.(values) ?? 'app.next')}
                    </button>
                  )}
                </div>
              </>
            )}
          </main>
        </div>
      </div>
    </PagesContext.Provider>
  );
}
