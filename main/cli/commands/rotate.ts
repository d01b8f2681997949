import { isRotationStep, type RotationStatus } from '../../../shared/rotation.js';
import { normalizeDomain } from '../../../shared/validation/domain.js';
import { orThrow } from '../../../shared/validation/problem.js';
import { parseResolverAddress } from '../../../shared/verify/resolverAddress.js';
import { historyMirror } from '../../services/rotation/mirror.js';
import { continueRotation, readRotationStatus, startRotation, undoRotation, type RotationContext, type RotationOutcome } from '../../services/rotation/rotation.js';
import { defaultHistoryFile } from '../../services/watch/record.js';
import { cliText, type CliText } from '../language.js';
import { progressLine } from '../planText.js';
import { cliError, parseCommandArgs, usageHint, writeErrorLine, writeJson, writeLine, writeLines, type CliIO, type Command } from '../command.js';
import { connectFromCli, readSshOptions, sshOptionSpec, sshUsage } from '../sshOptions.js';

const ACTIONS = ['start', 'status', 'continue', 'undo'] as const;
type Action = (typeof ACTIONS)[number];

const usage = `rotate start|status|continue|undo ${sshUsage} --domain D [--selector S] [--old-selector S] [--emergency] [--overlap-days N] [--bits N] [--step STEP] [--resolver ADDR[:PORT]]… [--json]`;

const spec = {
  ...sshOptionSpec,
  domain: { type: 'string' },
  selector: { type: 'string' },
  'old-selector': { type: 'string' },
  emergency: { type: 'boolean' },
  'overlap-days': { type: 'string' },
  bits: { type: 'string' },
  step: { type: 'string' },
  resolver: { type: 'string', multiple: true },
  json: { type: 'boolean' },
} as const;

/** Where a rotation stands, for a terminal, in the person's language (`cli.rotate.*`). */
export function statusLines(status: RotationStatus, text: CliText): string[] {
  const state = status.state;
  if (state === null) return [text.t('cli.rotate.none', { domain: status.domain })];
  const key = (k: { type: string; bits: number | null; fingerprint: string }) => `${k.type}${k.bits === null ? '' : ` ${text.t('cli.rotate.bits', { bits: k.bits })}`} ${k.fingerprint}`;
  const lines = [
    text.t(state.emergency ? 'cli.rotate.headingEmergency' : 'cli.rotate.heading', { domain: status.domain, old: state.old.selector, new: state.new.selector }),
    `  ${text.t('cli.rotate.oldKey', { key: key(state.old) })}`,
    `  ${text.t('cli.rotate.newKey', { key: key(state.new) })}`,
    `  ${text.t('cli.rotate.done', { step: text.t(`cli.rotate.step.${state.done}`), at: state.dates[state.done] ?? '' })}`,
    `  ${text.t('cli.rotate.overlap', { days: state.overlapDays })}${status.overlapShortened ? text.t('cli.rotate.overlapShort', { days: state.minimumOverlapDays }) : ''}`,
  ];
  if (status.finished) lines.push(`  ${text.t('cli.rotate.finished')}`);
  else lines.push(`  ${text.t('cli.rotate.next', { step: status.next === null ? '' : text.t(`cli.rotate.step.${status.next}`), earliest: status.earliest ?? '' })}`);
  if (status.record) lines.push(`  ${text.t('cli.rotate.newRecord', { record: `${status.record.name} TXT "${status.record.value}"` })}`);
  if (status.next === 'revoke' || status.next === 'overlap') lines.push(`  ${text.t('cli.rotate.revokeRecord', { record: `${status.revokeRecord?.name ?? ''} TXT "${status.revokeRecord?.value ?? ''}"` })}`);
  return lines;
}

function outcomeJson(action: Action, outcome: RotationOutcome, roundTrips: number) {
  return {
    ok: true,
    action,
    changed: outcome.changed,
    steps: outcome.steps,
    backupId: outcome.backupId,
    step: outcome.status.state?.done ?? null,
    next: outcome.status.next,
    earliest: outcome.status.earliest,
    record: outcome.status.record,
    revokeRecord: outcome.status.revokeRecord,
    status: outcome.status,
    notes: outcome.notes,
    roundTrips,
  };
}

export const rotateCommand: Command = {
  name: 'rotate',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs(this, argv, spec, true);
    const [word, ...extra] = positionals;
    const action = ACTIONS.find((a) => a === word);
    if (action === undefined || extra.length > 0) {
      throw cliError('bad-input', 'cliOneOf', { option: 'rotate', allowed: 'start, status, continue, undo', value: word ?? '' }, { field: 'action', hint: usageHint(usage) });
    }
    const ssh = readSshOptions(values, io);
    if (values.domain === undefined) throw cliError('bad-input', 'cliRequired', { option: '--domain' }, { field: 'domain', hint: usageHint(usage) });
    const domain = orThrow('domain', normalizeDomain(values.domain));
    const resolvers = values.resolver ?? [];
    for (const text of resolvers) if (parseResolverAddress(text) === null) throw cliError('bad-input', 'cliResolver', { value: text }, { field: 'resolver' });
    const whole = (name: 'overlap-days' | 'bits'): number | undefined => {
      const text = values[name];
      if (text === undefined) return undefined;
      if (!/^\d{1,4}$/.test(text)) throw cliError('bad-input', 'cliWholeNumber', { option: `--${name}`, value: text }, { field: name });
      return Number(text);
    };
    const overlapDays = whole('overlap-days');
    const bits = whole('bits');
    const step = values.step;
    if (step !== undefined && !isRotationStep(step)) throw cliError('bad-input', 'cliOneOf', { option: '--step', allowed: 'prepare, publish, switch, overlap, revoke, remove', value: step }, { field: 'step' });
    const startOnly = { selector: values.selector, 'old-selector': values['old-selector'], emergency: values.emergency, 'overlap-days': overlapDays, bits };
    if (action !== 'start') {
      const given = Object.entries(startOnly).find(([, v]) => v !== undefined);
      if (given !== undefined) throw cliError('bad-input', 'cliOnlyWith', { option: `--${given[0]}`, action: 'rotate start' }, { field: given[0] });
    }
    if (step !== undefined && action !== 'continue') throw cliError('bad-input', 'cliOnlyWith', { option: '--step', action: 'rotate continue' }, { field: 'step' });

    const session = await connectFromCli(ssh, io);
    const text = cliText(io.env);
    const context: RotationContext = {
      dns: { resolvers },
      mirror: historyMirror(defaultHistoryFile(io.env)),
      progress: (event) => {
        if (values.json !== true) writeErrorLine(io, progressLine(event, text));
      },
    };
    try {
      if (action === 'status') {
        const status = await readRotationStatus(session, domain, context);
        if (values.json === true) writeJson(io, { ok: true, action, step: status.state?.done ?? null, next: status.next, earliest: status.earliest, record: status.record, revokeRecord: status.revokeRecord, status, roundTrips: session.roundTrips });
        else writeLines(io, statusLines(status, text));
        return 0;
      }
      const outcome =
        action === 'start'
          ? await startRotation(session, { domain, ...(values.selector === undefined ? {} : { selector: values.selector }), ...(values['old-selector'] === undefined ? {} : { oldSelector: values['old-selector'] }), emergency: values.emergency === true, ...(overlapDays === undefined ? {} : { overlapDays }), ...(bits === undefined ? {} : { bits }) }, context)
          : action === 'continue'
            ? await continueRotation(session, { domain, ...(step === undefined ? {} : { step }) }, context)
            : await undoRotation(session, { domain }, context);
      if (values.json === true) {
        writeJson(io, outcomeJson(action, outcome, session.roundTrips));
        return 0;
      }
      writeLines(io, outcome.keyedNotes.map((n) => text.keyed('rotationNote', n)));
      if (outcome.backupId !== null) writeLine(io, text.t('cli.rotate.backup', { backup: outcome.backupId }));
      writeLines(io, statusLines(outcome.status, text));
      return 0;
    } finally {
      await session.close();
    }
  },
};
