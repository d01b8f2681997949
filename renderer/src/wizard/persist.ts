import type { WizardValues } from './state.js';

/**
 * The wizard's place and values kept in this tab's sessionStorage, so a reload (F5 in web
 * mode) comes back where it was: the connection and the keys live on in the Homemail
 * process by their ids. WizardValues holds no secret (see state.tsx); sessionStorage ends
 * with the tab. Anything unreadable is ignored (a fresh start).
 */
export interface SavedWizard {
  values: Partial<WizardValues>;
  index: number;
  reached: number;
}

export const WIZARD_STORAGE_KEY = 'homemail.wizard';

function storage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

export function loadWizard(key: string): SavedWizard | null {
  try {
    const text = storage()?.getItem(key);
    if (!text) return null;
    const saved = JSON.parse(text) as Partial<SavedWizard>;
    if (typeof saved !== 'object' || saved === null || typeof saved.values !== 'object' || saved.values === null) return null;
    const index = Number.isInteger(saved.index) ? (saved.index as number) : 0;
    const reached = Number.isInteger(saved.reached) ? (saved.reached as number) : index;
    return { values: saved.values, index, reached };
  } catch {
    return null;
  }
}

export function saveWizard(key: string, part: Partial<SavedWizard>): void {
  try {
    const before = loadWizard(key) ?? { values: {}, index: 0, reached: 0 };
    storage()?.setItem(key, JSON.stringify({ ...before, ...part }));
  } catch {
    // Full or unavailable storage: the wizard still works, a reload starts over.
  }
}
