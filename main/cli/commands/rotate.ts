import { badInput } from '../../../shared/errors.js';
import { isRotationStep, type RotationStatus } from '../../../shared/rotation.js';
import { normalizeDomain } from '../../../shared/validation/domain.js';
import { orThrow } from '../../../shared/validation/problem.js';
import { parseResolverAddress } from '../../../shared/verify/resolverAddress.js';
import { historyMirror } from '../../services/rotation/mirror.js';
import { continueRotation, readRotationStatus, startRotation, undoRotation, type RotationContext, type RotationOutcome } from '../../services/rotation/rotation.js';
import { defaultHistoryFile } from '../../services/watch/record.js';
import { parseCommandArgs, writeErrorLine, writeJson, writeLine, writeLines, type CliIO, type Command } from '../command.js';
import { connectFromCli, readSshOptions, sshOptionSpec, sshUsage } from '../sshOptions.js';

const ACTIONS = ['start', 'status', 'continue', 'undo'] as const;
type Action = (typeof ACTIONS)[number];

const usage =
  `rotate start|status|continue|undo ${sshUsage} --domain D [--selector S] [--old-selector S] [--emergency] [--overlap-days N] [--bits N] [--step STEP] [--resolver ADDR[:PORT]]… [--json]\n\n` +
  'DKIM key rotation, one step per run, its state kept on the server (/var/lib/homemail/rotation.json) so any computer can continue:\n' +
  '  start     Prepare: a new key with a dated selector (or --selector) beside the old one; prints the record to publish.\n' +
  '  continue  the next step (or --step prepare|publish|switch|overlap|revoke|remove; a step already done changes nothing):\n' +
  '            publish (the new record is visible at the zone\'s DNS servers or --resolver), switch (OpenDKIM signs with the new key;\n' +
  '            refused while the record is not visible), overlap (ends --overlap-days after switch; default 7, at least the old\n' +
  '            record\'s TTL plus the queue lifetime; a shorter value is shown in status), revoke (you publish the old selector\n' +
  '            with an empty p=), remove (the old key file is deleted, backed up: homemail rollback restores it).\n' +
  '  status    where the rotation stands; --json has "next" and "earliest".\n' +
  '  undo      undoes the last step (not Remove).\n' +
  '--emergency (a leaked key): no overlap; Switch follows Publish at once. Exit 1 while a step\'s condition is not met (nothing changed).';

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

function statusLines(status: RotationStatus): string[] {
  const state = status.state;
  if (state === null) return [`No key rotation of ${status.domain} on this server.`];
  const lines = [
    `Key rotation of ${status.domain}${state.emergency ? ' (emergency)' : ''}: ${state.old.selector} → ${state.new.selector}`,
    `  old key ${state.old.type}${state.old.bits === null ? '' : ` ${state.old.bits} bits`} ${state.old.fingerprint}`,
    `  new key ${state.new.type}${state.new.bits === null ? '' : ` ${state.new.bits} bits`} ${state.new.fingerprint}`,
    `  done: ${state.done} (${state.dates[state.done] ?? ''})`,
    `  overlap: ${state.overlapDays} day(s)${status.overlapShortened ? ` — shorter than the recommended ${state.minimumOverlapDays} (old record TTL + queue lifetime)` : ''}`,
  ];
  if (status.finished) lines.push('  finished');
  else lines.push(`  next: ${status.next ?? ''}, not before ${status.earliest ?? ''}`);
  if (status.record) lines.push(`  new record: ${status.record.name} TXT "${status.record.value}"`);
  if (status.next === 'revoke' || status.next === 'overlap') lines.push(`  revocation record (at Revoke): ${status.revokeRecord?.name ?? ''} TXT "${status.revokeRecord?.value ?? ''}"`);
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
  summary: 'Rotate the DKIM key as a guided, resumable procedure: start, status, continue, undo.',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs(this, argv, spec, true);
    const [word, ...extra] = positionals;
    const action = ACTIONS.find((a) => a === word);
    if (action === undefined || extra.length > 0) {
      throw badInput('action', 'rotate: say start, status, continue or undo.', `Usage: homemail ${usage.split('\n')[0] ?? ''}`);
    }
    const ssh = readSshOptions(values, io);
    if (values.domain === undefined) throw badInput('domain', '--domain is required: the domain whose key is rotated.');
    const domain = orThrow('domain', normalizeDomain(values.domain));
    const resolvers = values.resolver ?? [];
    for (const text of resolvers) if (parseResolverAddress(text) === null) throw badInput('resolver', `resolver: "${text}" is not ADDR or ADDR:PORT.`);
    const whole = (name: 'overlap-days' | 'bits'): number | undefined => {
      const text = values[name];
      if (text === undefined) return undefined;
      if (!/^\d{1,4}$/.test(text)) throw badInput(name, `${name}: give a whole number, not "${text}".`);
      return Number(text);
    };
    const overlapDays = whole('overlap-days');
    const bits = whole('bits');
    const step = values.step;
    if (step !== undefined && !isRotationStep(step)) throw badInput('step', `step: one of prepare, publish, switch, overlap, revoke, remove; not "${step}".`);
    const startOnly = { selector: values.selector, 'old-selector': values['old-selector'], emergency: values.emergency, 'overlap-days': overlapDays, bits };
    if (action !== 'start') {
      const given = Object.entries(startOnly).find(([, v]) => v !== undefined);
      if (given !== undefined) throw badInput(given[0], `--${given[0]} belongs to "rotate start".`);
    }
    if (step !== undefined && action !== 'continue') throw badInput('step', '--step belongs to "rotate continue".');

    const session = await connectFromCli(ssh, io);
    const context: RotationContext = {
      dns: { resolvers },
      mirror: historyMirror(defaultHistoryFile(io.env)),
      progress: (event) => {
        if (values.json !== true) writeErrorLine(io, `[${event.stage}] ${event.text}`);
      },
    };
    try {
      if (action === 'status') {
        const status = await readRotationStatus(session, domain, context);
        if (values.json === true) writeJson(io, { ok: true, action, step: status.state?.done ?? null, next: status.next, earliest: status.earliest, record: status.record, revokeRecord: status.revokeRecord, status, roundTrips: session.roundTrips });
        else writeLines(io, statusLines(status));
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
      writeLines(io, outcome.notes);
      if (outcome.backupId !== null) writeLine(io, `Backup: ${outcome.backupId}`);
      writeLines(io, statusLines(outcome.status));
      return 0;
    } finally {
      await session.close();
    }
  },
};
