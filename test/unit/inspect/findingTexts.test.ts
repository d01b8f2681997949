import { describe, expect, it } from 'vitest';
import en from '../../../renderer/src/locales/en.json' with { type: 'json' };
import ja from '../../../renderer/src/locales/ja.json' with { type: 'json' };
import { findingTexts } from '../../../main/services/inspect/findings.js';

// The CLI prints findingTexts; the wizard shows findings.* from the locale files. The two
// English copies must say the same thing, and Japanese must cover every finding.
describe('finding texts', () => {
  const asI18next = (text: string) => text.replace(/\{(\w+)\}/g, '{{$1}}');

  it('en.json says exactly what the CLI prints', () => {
    for (const [key, text] of Object.entries(findingTexts)) {
      expect((en.findings as Record<string, unknown>)[key], key).toBe(asI18next(text));
    }
  });

  it('ja.json translates every finding', () => {
    for (const key of Object.keys(findingTexts)) {
      const translated = (ja.findings as Record<string, unknown>)[key];
      expect(typeof translated, key).toBe('string');
      expect(translated, key).not.toBe((en.findings as Record<string, unknown>)[key]);
    }
  });
});
