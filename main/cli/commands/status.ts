import { worstStatus } from '../../../shared/checks.js';
import type { TargetStatus } from '../../../shared/watch.js';
import { defaultHistoryFile, historyStoreAt } from '../../services/watch/record.js';
import { buildStatus } from '../../services/watch/status.js';
import { oneLine, parseCommandArgs, writeJson, writeLine, type CliIO, type Command } from '../command.js';
import { printChanges } from './watch.js';

function printTarget(io: CliIO, target: TargetStatus): void {
  const server = target.server ? ` on ${target.server.host}:${target.server.port}${target.server.hostKeyFingerprint ? ` (${target.server.hostKeyFingerprint})` : ''}` : '';
  writeLine(io, `${target.domain}${server}: ${target.runs} runs, last ${target.lastRunAt ?? 'never'}`);
  for (const run of target.latest) {
    const counts = { pass: 0, warn: 0, fail: 0, unknown: 0 };
    for (const check of run.checks) counts[check.status] += 1;
    writeLine(io, `  ${run.kind} (${run.at}): ${worstStatus(run.checks.map((c) => c.status)).toUpperCase()} — ${counts.pass} passed, ${counts.warn} warnings, ${counts.fail} failed, ${counts.unknown} cannot tell`);
    for (const check of run.checks) if (check.status === 'fail' || check.status === 'warn') writeLine(io, `    [${check.status.toUpperCase()}] ${oneLine(check.title)}${check.found ? `: ${oneLine(check.found)}` : ''}`);
  }
  writeLine(io, '  changes at the last run:');
  printChanges(io, target.changes);
  for (const skipped of target.skipped) writeLine(io, `  skipped: ${oneLine(skipped.text)}`);
  const { trends } = target;
  if (trends.reports > 0) {
    const pass = trends.daily.reduce((sum, d) => sum + d.pass, 0);
    const all = trends.daily.reduce((sum, d) => sum + d.pass + d.fail, 0);
    writeLine(io, `  DMARC: ${trends.reports} reports, ${all} messages, ${all === 0 ? 100 : Math.round((pass / all) * 1000) / 10}% passed`);
  }
  writeLine(io);
}

export const statusCommand: Command = {
  name: 'status',
  summary: 'The stored state of every watched server and domain: each check, what changed at the last run, DMARC trends.',
  usage: 'status [--json]',
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(this, argv, { json: { type: 'boolean' } });
    const status = buildStatus(historyStoreAt(defaultHistoryFile(io.env)), null);
    if (values.json) {
      writeJson(io, status);
      return 0;
    }
    writeLine(io, `History store: ${status.storePath} (schema ${status.schemaVersion})`);
    writeLine(io);
    if (status.targets.length === 0) writeLine(io, 'Nothing watched yet: run homemail watch --once --domain D.');
    for (const target of status.targets) printTarget(io, target);
    return 0;
  },
};
