// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../../renderer/src/App.js';
import { calls, useFakeBridgeInEachTest } from './fakeBridge.js';
import { renderStep } from './render.js';
import { WizardProvider } from '../../../renderer/src/wizard/state.js';
import { WIZARD_STORAGE_KEY } from '../../../renderer/src/wizard/persist.js';

useFakeBridgeInEachTest();

describe('the wizard frame', () => {
  it('keeps entered values across Back and Next, and moves focus to the new step heading', async () => {
    await renderStep(<App />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toContain('trusted');
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    const heading = screen.getByRole('heading', { level: 1, name: 'Which server?' });
    expect(document.activeElement).toBe(heading);
    fireEvent.change(screen.getByLabelText('SSH server'), { target: { value: 'admin@mail.example.jp' } });
    // Not connected yet: no generic Next on the server step.
    expect(screen.queryByRole('button', { name: 'Next' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect((screen.getByLabelText('SSH server') as HTMLInputElement).value).toBe('admin@mail.example.jp');
    // Steps already reached can be revisited from the list.
    fireEvent.click(screen.getByRole('button', { name: 'Welcome' }));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toContain('trusted');
  });

  it('switches language without losing the step', async () => {
    await renderStep(<App />);
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'ja' } });
    expect(await screen.findByLabelText('SSH サーバー')).toBeTruthy();
    expect(screen.queryByRole('heading', { level: 1, name: 'Which server?' })).toBeNull();
    expect(document.documentElement.lang).toBe('ja');
    // the choice reaches the main process through the contract (notifications speak it)
    expect(calls.filter((c) => c.name === 'setLanguage').map((c) => c.input)).toEqual([{ language: 'ja' }]);
  });

  it('tells the main process a choice made on this page before, when the page opens', async () => {
    window.localStorage.setItem('homemail.language', 'ja');
    await renderStep(<App />);
    expect(calls.filter((c) => c.name === 'setLanguage').map((c) => c.input)).toEqual([{ language: 'ja' }]);
    window.localStorage.removeItem('homemail.language');
    calls.length = 0;
    await renderStep(<App />);
    expect(calls.filter((c) => c.name === 'setLanguage')).toEqual([]);
  });
});

describe('a reload (F5 in web mode)', () => {
  const mount = () =>
    render(
      <WizardProvider persistKey={WIZARD_STORAGE_KEY}>
        <App persistKey={WIZARD_STORAGE_KEY} />
      </WizardProvider>,
    );

  it('comes back on the same step with what was entered (it went back to the welcome with everything lost)', async () => {
    sessionStorage.clear();
    await renderStep(<></>);
    cleanup();
    mount();
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    fireEvent.change(screen.getByLabelText('SSH server'), { target: { value: 'admin@mail.example.jp' } });
    cleanup();
    mount();
    expect(screen.getByRole('heading', { level: 1, name: 'Which server?' })).toBeTruthy();
    expect((screen.getByLabelText('SSH server') as HTMLInputElement).value).toBe('admin@mail.example.jp');
    // No secret is kept: the password field starts empty.
    expect(sessionStorage.getItem(WIZARD_STORAGE_KEY)).not.toMatch(/password"\s*:\s*"[^"]/i);
    sessionStorage.clear();
  });

  it('on the apply step before it finished, comes back to the review instead of applying again by itself', async () => {
    sessionStorage.clear();
    await renderStep(<></>);
    cleanup();
    sessionStorage.setItem(WIZARD_STORAGE_KEY, JSON.stringify({ values: { applied: null }, index: 7, reached: 7 }));
    mount();
    expect(document.querySelector('main')?.getAttribute('data-step')).toBe('review');
    expect(calls.filter((c) => c.name === 'applyChanges')).toEqual([]);
    sessionStorage.clear();
  });
});

