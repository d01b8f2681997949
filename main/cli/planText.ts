import { secretNoteKey, type ApplyProgress, type Plan } from '../../shared/plan.js';
import { applyLogText, interruptedApplyText } from '../../shared/i18n/keyedText.js';
import type { CliText } from './language.js';

/** A plan as text for the terminal, in the person's language: the frame from `cli.plan.*`, the service's sentences from `plan.*`. */
export function formatPlan(plan: Plan, text: CliText): string {
  const words = (item: Parameters<CliText['keyed']>[1]) => text.keyed('plan', item);
  const out: string[] = [];
  for (const i of plan.interrupted) out.push(`! ${interruptedApplyText(text, i)}`);
  if (!plan.changed) {
    out.push(text.t('cli.plan.nothing', { host: plan.host, domain: plan.domain }));
    return `${out.join('\n')}\n`;
  }
  out.push(text.t('cli.plan.header', { host: plan.host, domain: plan.domain, files: plan.files.length, commands: plan.commands.length }));
  out.push(text.t('cli.plan.wiring', { socket: plan.opendkimSocket, milter: plan.milter }));
  for (const n of plan.notes) out.push(text.t('cli.note', { text: words(n) }));
  out.push('');
  for (const f of plan.files) {
    out.push(text.t(`cli.plan.${f.kind}`, { path: f.path, owner: f.owner, group: f.group, mode: f.mode, why: words(f.why) }));
    // A secret's line is the catalog's, as the wizard shows it (the plan's own line is English for --json).
    out.push(f.secret ? `  ${text.t(secretNoteKey(f))}` : f.diff.trimEnd());
    out.push('');
  }
  out.push(text.t('cli.plan.commands'));
  plan.commands.forEach((c, i) => out.push(`  ${i + 1}. ${words(c.words)}\n     $ ${c.command}`));
  if (plan.backedUp.length > 0) out.push('', text.t('cli.plan.backedUp', { paths: plan.backedUp.join(', ') }));
  return `${out.join('\n')}\n`;
}

/** One progress line of an apply on standard error: `[stage] what happens`, both from the catalogs. */
export function progressLine(event: ApplyProgress, text: CliText): string {
  const stage = text.exists(`apply.stage.${event.stage}`) ? text.t(`apply.stage.${event.stage}`) : event.stage;
  const said = applyLogText(text, event) || text.t(`apply.status.${event.status}`);
  return `[${stage}] ${said}`;
}

/** What an apply that changed the server says last: its backup and how to undo it. */
export function appliedLine(backupId: string | null, text: CliText): string {
  return text.t('cli.apply.applied', { backup: backupId ?? '' });
}
