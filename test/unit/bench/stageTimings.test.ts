import { describe, expect, it } from 'vitest';
import { stageTimings } from '../../../bench/stageTimings.js';
import { parseScriptReport } from '../../../main/server/engine/transaction.js';

// What the transaction script prints for a successful apply, with its millisecond stamps.
const stamped = [
  'STAGE check 1700000000000',
  'STAGE backup 1700000000040',
  'STAGE write 1700000000100',
  'STAGE validate 1700000000300',
  'STAGE restart 1700000000900',
  'STAGE health 1700000002100',
  'STAGE health-ok 1700000002600',
  'RESULT ok',
].join('\n');

describe('apply stage timings', () => {
  it('reads the server stamps into the apply log', () => {
    const report = parseScriptReport(stamped);
    expect(report.status).toBe('ok');
    expect(report.log.map((e) => [e.stage, e.status, e.atMs])).toEqual([
      ['check', 'start', 1700000000000],
      ['backup', 'start', 1700000000040],
      ['write', 'start', 1700000000100],
      ['validate', 'start', 1700000000300],
      ['restart', 'start', 1700000000900],
      ['health', 'start', 1700000002100],
      ['health', 'ok', 1700000002600],
    ]);
  });

  it('gives each stage the time until the next stamp', () => {
    const timings = stageTimings(parseScriptReport(stamped).log);
    expect(timings).toEqual({
      stages: { check: 40, backup: 60, write: 200, validate: 600, restart: 1200, health: 500 },
      serverMs: 2600,
    });
  });

  it('has no timings from a script without stamps (old server script, or date without %N)', () => {
    const plain = parseScriptReport(stamped.replace(/ \d{13}$/gm, ''));
    expect(plain.log.every((e) => e.atMs === undefined)).toBe(true);
    expect(stageTimings(plain.log)).toBeNull();
    const dashes = parseScriptReport(stamped.replace(/ \d{13}$/gm, ' -'));
    expect(stageTimings(dashes.log)).toBeNull();
  });

  it('does not count a failure line as the start of a stage', () => {
    const failed = ['STAGE check 1000', 'STAGE write 1010', 'FAIL write aW5qZWN0ZWQ=', 'STAGE rollback 1500', 'RESULT rolled-back write aW5qZWN0ZWQ='].join('\n');
    const report = parseScriptReport(failed);
    expect(stageTimings(report.log)).toEqual({ stages: { check: 10, write: 490 }, serverMs: 500 });
  });
});
