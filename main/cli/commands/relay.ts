import { badInput } from '../../../shared/errors.js';
import { parseRelayTarget, presetForHost } from '../../../shared/relay.js';
import { runRelay, type RelayOptions } from '../../services/relay/relay.js';
import { cliError, parseCommandArgs, usageHint, writeErrorLine, writeJson, writeLine, type CliIO, type Command } from '../command.js';
import { connectFromCli, readSshOptions, readStdinLines, sshOptionSpec, sshUsage } from '../sshOptions.js';
import { formatChanges } from './inbound.js';
import { cliText } from '../language.js';
import { appliedLine, progressLine } from '../planText.js';

export const relayCommand: Command = {
  name: 'relay',
  usage: `relay ${sshUsage} (--relay HOST[:PORT] --relay-user U --relay-password-stdin [--probe-recipient ADDR] | --remove) [--domain D] [--apply] [--json]`,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(this, argv, {
      ...sshOptionSpec,
      relay: { type: 'string' },
      'relay-user': { type: 'string' },
      'relay-password-stdin': { type: 'boolean' },
      'probe-recipient': { type: 'string' },
      remove: { type: 'boolean' },
      domain: { type: 'string' },
      apply: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const ssh = readSshOptions(values, io);
    const remove = values.remove === true;
    if (remove && (values.relay !== undefined || values['relay-user'] !== undefined || values['relay-password-stdin'])) {
      throw cliError('bad-input', 'cliRelayRemoveAlone', {}, { field: 'remove' });
    }
    let target = null;
    if (!remove) {
      if (values.relay === undefined) throw cliError('bad-input', 'cliRelayRequired', {}, { field: 'relay', hint: usageHint(this.usage) });
      const parsed = parseRelayTarget(values.relay);
      if (!parsed.ok) throw badInput('relay', parsed.problem);
      target = parsed.value;
      if (values['relay-user'] === undefined) throw cliError('bad-input', 'cliRequired', { option: '--relay-user' }, { field: 'relay-user' });
      if (!values['relay-password-stdin']) throw cliError('bad-input', 'cliRelayPasswordStdin', {}, { field: 'relay-password-stdin' });
    }
    // With --password-stdin too, the first line is the sudo password and the second the relay's.
    const secrets = !remove ? await readStdinLines(io.stdin, ssh.passwordStdin ? 2 : 1) : [];
    const sudoPassword = ssh.passwordStdin && !remove ? secrets[0] : undefined;
    const relayPassword = (ssh.passwordStdin ? secrets[1] : secrets[0]) ?? '';
    if (!remove && relayPassword === '') throw cliError('bad-input', ssh.passwordStdin ? 'cliNoRelayPasswordSecondLine' : 'cliNoRelayPasswordLine', {}, { field: 'relay-password-stdin' });
    if (sudoPassword === '') throw cliError('bad-input', 'cliNoPasswordLine', {}, { field: 'password-stdin' });
    const domain = values.domain;
    const session = await connectFromCli(ssh, io, undefined, sudoPassword);
    const text = cliText(io.env);
    try {
      const options: RelayOptions =
        remove || target === null
          ? { remove: true, domain: domain ?? session.target.host }
          : { remove: false, target, user: values['relay-user'] ?? '', password: relayPassword, probeRecipient: values['probe-recipient'], domain: domain ?? session.target.host };
      const outcome = await runRelay(session, options, values.apply ? { progress: (e) => (values.json ? undefined : writeErrorLine(io, progressLine(e, text))) } : false);
      const preset = target === null ? null : presetForHost(target.host);
      const spfInclude = preset === null || preset.spfInclude === 'unknown' ? null : preset.spfInclude;
      if (values.json) {
        writeJson(io, {
          ok: true,
          relay: target === null ? null : { host: target.host, port: target.port, user: values['relay-user'] ?? '', spfInclude, caveat: preset?.caveat ?? null },
          plan: outcome.plan,
          changed: outcome.apply?.changed ?? false,
          backupId: outcome.apply?.backupId ?? null,
          roundTrips: outcome.roundTrips,
        });
        return 0;
      }
      for (const line of formatChanges(outcome.plan, text)) writeLine(io, line);
      if (preset?.caveat !== undefined) writeLine(io, `\n${text.t(`relay.caveat.${preset.caveat}`)}`);
      if (spfInclude !== null) writeLine(io, `\n${text.t('cli.relay.spfInclude', { include: spfInclude })}`);
      else if (target !== null) writeLine(io, `\n${text.t('cli.relay.spfUnknown')}`);
      if (outcome.apply?.changed) writeLine(io, `\n${appliedLine(outcome.apply.backupId, text)}`);
      else if (!values.apply && outcome.plan.changed) writeLine(io, `\n${text.t('cli.inbound.runApply')}`);
      return 0;
    } finally {
      await session.close();
    }
  },
};
