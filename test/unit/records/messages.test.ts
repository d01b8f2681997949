import { describe, expect, it } from 'vitest';
import en from '../../../renderer/src/locales/en.json' with { type: 'json' };
import ja from '../../../renderer/src/locales/ja.json' with { type: 'json' };
import { recordMessagesEn } from '../../../shared/records/messages.en.js';
import { validationMessagesEn } from '../../../shared/validation/messages.en.js';

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('record and validation texts', () => {
  it('en.json holds exactly the English tables the CLI prints', () => {
    expect(en.records).toEqual(recordMessagesEn);
    expect(en.validation).toEqual(validationMessagesEn);
  });

  it('ja.json translates every key with the same placeholders', () => {
    for (const [section, table] of [['records', recordMessagesEn], ['validation', validationMessagesEn]] as const) {
      const translated = ja[section] as Record<string, string>;
      expect(Object.keys(translated).sort()).toEqual(Object.keys(table).sort());
      for (const [key, text] of Object.entries(table)) {
        expect(placeholders(translated[key] ?? ''), `${section}.${key}`).toEqual(placeholders(text));
        expect(translated[key], `${section}.${key}`).not.toBe(text);
      }
    }
  });
});
