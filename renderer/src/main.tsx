import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { startWebSession } from './api.js';
import { initI18n } from './i18n.js';
import { WIZARD_STORAGE_KEY } from './wizard/persist.js';
import { WizardProvider } from './wizard/state.js';
import './styles.css';

startWebSession();
initI18n();
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <WizardProvider persistKey={WIZARD_STORAGE_KEY}>
        <App persistKey={WIZARD_STORAGE_KEY} />
      </WizardProvider>
    </StrictMode>,
  );
}
