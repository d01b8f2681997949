// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { forgetProfile, loadProfiles, profileOf, saveProfile, valuesFromProfile } from '../../../renderer/src/wizard/profiles.js';
import { checkDomainChoices, hasProblems, splitList } from '../../../renderer/src/wizard/choices.js';
import { nextDates, setupReport } from '../../../renderer/src/wizard/report.js';
import { initialValues, type WizardValues } from '../../../renderer/src/wizard/state.js';
import { rsaKey } from './fixtures.js';
import { catalogText } from '../../../main/services/catalogText.js';
import { englishSentences } from '../../support/englishSentences.js';

const values: WizardValues = {
  ...initialValues,
  sshTarget: ' admin@mail.example.jp ',
  loginMethod: 'key',
  keyPath: '/home/me/.ssh/id_ed25519',
  sessionId: 'session-0123456789abcdef',
  hostFingerprint: `SHA256:${'B'.repeat(43)}`,
  domain: 'example.jp',
  selector: '202611',
  rua: 'dmarc@example.jp',
  keys: [rsaKey()],
};

beforeEach(() => window.localStorage.clear());

describe('saved servers', () => {
  it('keep only non-secret fields and restore them', () => {
    saveProfile(profileOf(values, new Date('2026-11-28T00:00:00Z')));
    const raw = window.localStorage.getItem('homemail.profiles') ?? '';
    expect(raw).not.toContain('session-');
    expect(raw).not.toContain('MIIBIjAN');
    const [profile] = loadProfiles();
    expect(profile).toBeDefined();
    expect(valuesFromProfile(profile!)).toEqual({
      sshTarget: 'admin@mail.example.jp',
      loginMethod: 'key',
      keyPath: '/home/me/.ssh/id_ed25519',
      domain: 'example.jp',
      selector: '202611',
      dmarcPolicy: 'none',
      rua: 'dmarc@example.jp',
      resolvers: '',
    });
  });

  it('replace an older entry for the same server, and can be forgotten', () => {
    saveProfile(profileOf(values, new Date()));
    saveProfile(profileOf({ ...values, domain: 'example.org' }, new Date()));
    expect(loadProfiles().map((p) => p.domain)).toEqual(['example.org']);
    forgetProfile('admin@mail.example.jp');
    expect(loadProfiles()).toEqual([]);
  });

  it('ignore damaged storage', () => {
    window.localStorage.setItem('homemail.profiles', '{not json');
    expect(loadProfiles()).toEqual([]);
    window.localStorage.setItem('homemail.profiles', JSON.stringify([{ sshTarget: 1 }, { sshTarget: 'a@b', loginMethod: 'agent', keyPath: '' }]));
    expect(loadProfiles().map((p) => p.sshTarget)).toEqual(['a@b']);
  });
});

describe('domain step choices', () => {
  it('split lists on commas, spaces and Japanese commas', () => expect(splitList('a@x.jp, b@x.jp、c@x.jp  d@x.jp')).toEqual(['a@x.jp', 'b@x.jp', 'c@x.jp', 'd@x.jp']));
  it('accept good choices', () => expect(hasProblems(checkDomainChoices(values))).toBe(false));
  it('name the field that is wrong', () => {
    const problems = checkDomainChoices({ ...values, spfAddresses: '203.0.113.300', ruf: 'x' });
    expect(problems.addresses?.key).toBe('ipInvalid');
    expect(problems.ruf?.key).toBe('emailShape');
    expect(problems.domain).toBeNull();
  });
});

describe('setup report', () => {
  it('dates the next steps four, eight and twenty-six weeks on', () => {
    const dates = nextDates(new Date('2026-01-01T00:00:00Z'));
    expect(dates.quarantine.toISOString().slice(0, 10)).toBe('2026-01-29');
    expect(dates.reject.toISOString().slice(0, 10)).toBe('2026-02-26');
    expect(dates.rotateKey.toISOString().slice(0, 10)).toBe('2026-07-02');
  });

  it('lists the server, key and records, and nothing secret', () => {
    const text = setupReport(values, new Date('2026-01-01T00:00:00Z'), catalogText('en'));
    expect(text).toMatch(/^Server: +admin@mail\.example\.jp +\(host key SHA256:B{43}\)$/m);
    expect(text).toMatch(/202611\._domainkey\.example\.jp\.\t3600\tIN\tTXT\t"v=DKIM1;/);
    expect(text).toContain('2026-01-29: read the DMARC reports');
    expect(text).not.toContain('session-');
  });

  it('is written in the page\'s language', () => {
    const text = setupReport(values, new Date('2026-01-01T00:00:00Z'), catalogText('ja'));
    expect(text).toContain(`サーバー:  admin@mail.example.jp (ホスト鍵 SHA256:${'B'.repeat(43)})`);
    expect(text).toContain('; example.jp の DNS レコード(Homemail が作成)');
    expect(text).toContain('2026-01-29: DMARC レポートを読み');
    expect(englishSentences(text)).toEqual([]);
  });
});
