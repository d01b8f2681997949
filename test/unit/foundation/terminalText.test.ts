import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { jsonForTerminal, oneLine, writeJson, writeLine, writeLines, type CliIO } from '../../../main/cli/command.js';
import { cliText } from '../../../main/cli/language.js';
import { formatReports } from '../../../main/cli/commands/reports.js';
import type { ReportsResult } from '../../../shared/reports.js';
import { escapeControlCharacters } from '../../../shared/validation/text.js';

// What a hostile report sender puts in org_name, a Subject or an attachment name.
const ESC = '\u001b';
const OSC52 = `${ESC}]52;c;ZWNobyBwd25lZA==\u0007`; // writes "echo pwned" to the clipboard in terminals that honour OSC 52
const RED = `${ESC}[31m`;
const C1_CSI = '\u009b2J'; // C1 CSI: clears the screen in terminals that read 8-bit controls
const FAKE_LINE = '\nDMARC (p=reject): all good';

function capture(): { io: CliIO; out: () => string } {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const io: CliIO = { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {}, cwd: '/' };
  return { io, out: () => text };
}

/** No byte a terminal would act on: no C0 but newline, no DEL, no C1, no line separators. */
// eslint-disable-next-line no-control-regex -- the test looks for exactly these
const TERMINAL_ACTIVE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/u;

describe('terminal output of outside data', () => {
  it('escapes ESC, OSC 52, BEL and C1 sequences visibly, keeping newlines and tabs of our own', () => {
    const text = escapeControlCharacters(`a${OSC52}b${RED}c${C1_CSI}\td\ne\u2028`);
    expect(text).toBe('a\\u{1b}]52;c;ZWNobyBwd25lZA==\\u{7}b\\u{1b}[31mc\\u{9b}2J\td\ne\\u{2028}');
    expect(oneLine(`x${FAKE_LINE}\ty`)).toBe('x\\u{a}DMARC (p=reject): all good\\u{9}y');
  });

  it('prints a report whose org_name, domain, reverse name and skipped reason carry escape sequences and newlines as inert text', () => {
    const result: ReportsResult = {
      mailbox: { address: 'dmarc@example.test', users: ['admin'], paths: [{ path: '/var/mail/admin', format: 'mbox' }], notes: [`note${RED}`], keyedNotes: [] },
      messagesRead: 1,
      bytesRead: 100,
      truncated: false,
      reports: 1,
      duplicates: 0,
      period: { kind: 'days', days: 14 },
      reporters: [{ orgName: `Evil${OSC52}Corp${FAKE_LINE}`, email: null, domain: `evil.example${C1_CSI}`, reports: 1, firstBegin: '2026-11-01', lastEnd: '2026-11-02', messages: 1, pass: 1, fail: 0 }],
      sources: [],
      timeline: [],
      skipped: [{ source: `Subject ${RED}urgent — report${FAKE_LINE}.xml`, reason: `bad ${ESC}[2J`, code: 'notWellFormed', params: { problem: `bad ${ESC}[2J` } }],
      notes: [{ source: `attachment ${OSC52}.xml.gz`, reason: `read with a workaround${FAKE_LINE}`, code: 'wrappedReport', params: { root: `x${FAKE_LINE}` } }],
      recommendation: null,
      knownIssues: [],
      roundTrips: 1,
    };
    const { io, out } = capture();
    writeLines(io, formatReports(result, cliText({ LANG: 'C' })));
    const printed = out();
    expect(printed).not.toMatch(TERMINAL_ACTIVE);
    expect(printed).toContain('Evil\\u{1b}]52;c;ZWNobyBwd25lZA==\\u{7}Corp\\u{a}DMARC (p=reject): all good');
    expect(printed.split('\n').filter((line) => line.startsWith('DMARC'))).toEqual([]);
  });

  it('keeps JSON output the same value while escaping what JSON.stringify leaves raw (DEL, C1, U+2028)', () => {
    const value = { orgName: `a${OSC52}\u007f\u0085\u009b\u2028z` };
    const text = jsonForTerminal(value);
    expect(text).not.toMatch(TERMINAL_ACTIVE);
    expect(JSON.parse(text)).toEqual(value);
    const { io, out } = capture();
    writeJson(io, value);
    writeLine(io, `plain ${RED}line`);
    expect(out()).not.toMatch(TERMINAL_ACTIVE);
  });
});
