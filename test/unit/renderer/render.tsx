import { render } from '@testing-library/react';
import i18next from 'i18next';
import type { ReactElement } from 'react';
import { initI18n } from '../../../renderer/src/i18n.js';
import { WizardProvider, type WizardValues } from '../../../renderer/src/wizard/state.js';

let initialised = false;

/** Renders a step inside the wizard's state, in the given language. */
export async function renderStep(ui: ReactElement, options: { values?: Partial<WizardValues>; language?: 'en' | 'ja' } = {}) {
  if (!initialised) {
    initI18n();
    initialised = true;
  }
  await i18next.changeLanguage(options.language ?? 'en');
  return render(<WizardProvider initial={options.values ?? {}}>{ui}</WizardProvider>);
}
