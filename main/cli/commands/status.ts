import { summarize, worstStatus } from '../../../shared/checks.js';
import { storedCheckText } from '../../../shared/i18n/keyedText.js';
import { summaryLine } from '../../../shared/i18n/checkLines.js';
import { cliText, type CliText } from '../language.js';
import type { TargetStatus } from '../../../shared/watch.js';
import { defaultHistoryFile, historyStoreAt } from '../../services/watch/record.js';
import { buildStatus } from '../../services/watch/status.js';
import { oneLine, parseCommandArgs, writeJson, writeLine, type CliIO, type Command } from '../command.js';
import { printChanges, skipLine } from './watch.js';

export function printTarget(io: CliIO, target: TargetStatus, text: CliText): void {
  const fingerprint = target.server?.hostKeyFingerprint ? ` (${target.server.hostKeyFingerprint})` : '';
  const server = target.server ? text.t('cli.status.server', { host: target.server.host, port: target.server.port, fingerprint }) : '';
  writeLine(io, text.t('cli.status.target', { domain: target.domain, server, runs: target.runs, last: target.lastRunAt ?? text.t('cli.status.never') }));
  for (const run of target.latest) {
    const worst = text.t(`cli.check.status.${worstStatus(run.checks.map((c) => c.status))}`);
    writeLine(io, `  ${text.t('cli.status.run', { kind: text.t(`cli.status.kind.${run.kind}`), at: run.at, worst, summary: summaryLine(summarize(run.checks), text) })}`);
    for (const check of run.checks) {
      if (check.status !== 'fail' && check.status !== 'warn') continue;
      const title = storedCheckText(text, check.titleKey, check.params, check.title);
      const found = check.found === null ? '' : `: ${storedCheckText(text, check.foundKey, check.params, check.found)}`;
      writeLine(io, `    [${text.t(`cli.check.status.${check.status}`)}] ${oneLine(`${title}${found}`)}`);
    }
  }
  writeLine(io, `  ${text.t('cli.status.changes')}`);
  printChanges(io, target.changes, text);
  for (const skipped of target.skipped) writeLine(io, skipLine(skipped, text));
  const { trends } = target;
  if (trends.reports > 0) {
    const pass = trends.daily.reduce((sum, d) => sum + d.pass, 0);
    const all = trends.daily.reduce((sum, d) => sum + d.pass + d.fail, 0);
    writeLine(io, `  ${text.t('cli.status.dmarc', { reports: trends.reports, messages: all, rate: all === 0 ? 100 : Math.round((pass / all) * 1000) / 10 })}`);
  }
  writeLine(io);
}

export const statusCommand: Command = {
  name: 'status',
  usage: 'status [--json]',
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(this, argv, { json: { type: 'boolean' } });
    const status = buildStatus(historyStoreAt(defaultHistoryFile(io.env)), null);
    if (values.json) {
      writeJson(io, status);
      return 0;
    }
    const text = cliText(io.env);
    writeLine(io, text.t('watch.store', { path: status.storePath, version: status.schemaVersion }));
    writeLine(io);
    if (status.targets.length === 0) writeLine(io, text.t('cli.status.empty'));
    for (const target of status.targets) printTarget(io, target, text);
    for (const { host, status: rotation } of status.rotations) {
      const key = rotation.key === null ? '' : text.t('cli.status.rotationKey', { selector: rotation.key.selector, since: rotation.key.since.slice(0, 10), next: rotation.key.suggestedRotation.slice(0, 10) });
      const step =
        rotation.state === null ? text.t('cli.status.rotationNone') : rotation.next === null ? text.t('cli.status.rotationFinished') : text.t('cli.status.rotationNext', { step: rotation.next, date: rotation.earliest ?? '' });
      writeLine(io, text.t('cli.status.rotation', { domain: oneLine(rotation.domain), host: oneLine(host), key, step }));
    }
    return 0;
  },
};
