import type { Inspection } from '../../../shared/inspection.js';
import { inspectServer } from '../../services/inspect/inspect.js';
import { parseCommandArgs, writeJson, writeLines, type CliIO, type Command } from '../command.js';
import { cliText, type CliText } from '../language.js';
import { connectFromCli, readSshOptions, sshOptionSpec, sshUsage } from '../sshOptions.js';

/** The readable picture for a terminal, in the person's language (`cli.inspect.*`, findings from `findings.*`). */
export function formatInspection(inspection: Inspection, text: CliText): string[] {
  const { os, postfix, opendkim } = inspection;
  const word = (key: string) => text.t(`cli.word.${key}`);
  const known = (value: string | null | undefined) => value ?? '?';
  const yesNo = (value: boolean | null) => (value === null ? word('unknown') : value ? word('yes') : word('no'));
  const state = (running: boolean) => word(running ? 'running' : 'stopped');
  const lines = [
    text.t('cli.inspect.server', { target: `${inspection.target.user}@${inspection.target.host}:${inspection.target.port}`, hostname: known(inspection.hostname), privilege: text.t(`findings.privilege.${inspection.privilege}`) }),
    text.t('cli.inspect.system', { os: os.prettyName ?? os.id ?? word('unknown'), packages: inspection.packageManager ?? word('unknown'), services: inspection.serviceManager }),
    text.t('cli.inspect.addresses', { addresses: inspection.addresses.filter((a) => a.scope !== 'loopback').map((a) => a.address).join(', ') || word('noneFound') }),
  ];
  if (postfix) {
    lines.push(
      text.t('cli.inspect.postfix', { version: known(postfix.version), state: state(postfix.running), myhostname: known(postfix.myhostname), mydomain: known(postfix.mydomain), myorigin: known(postfix.myorigin) }),
      text.t('cli.inspect.destination', { mydestination: postfix.mydestination.join(', ') || word('none'), chroot: yesNo(postfix.smtpdChroot) }),
      text.t('cli.inspect.milters', { milters: postfix.milters.map((m) => `${m.value} [${m.service ?? m.source}]`).join(', ') || word('none'), action: known(postfix.milterDefaultAction) }),
    );
    if (postfix.contentFilters.length > 0) lines.push(text.t('cli.inspect.contentFilters', { filters: postfix.contentFilters.map((f) => `${f.value} [${f.service ?? f.source}]`).join(', ') }));
  } else lines.push(text.t('cli.inspect.postfixMissing'));
  if (opendkim.installed) {
    lines.push(text.t('cli.inspect.opendkim', { version: known(opendkim.version), state: state(opendkim.running), mode: opendkim.mode, socket: opendkim.socket ?? word('none'), ed25519: yesNo(opendkim.canSignEd25519) }));
    for (const key of opendkim.keys) {
      const detail = key.exists ? text.t('cli.inspect.keyDetail', { type: known(key.keyType), bits: known(key.bits === null ? null : String(key.bits)), owner: known(key.owner), group: known(key.group), mode: known(key.mode) }) : word('missing');
      lines.push(text.t('cli.inspect.key', { path: key.path, detail, name: key.domain ? ` (${key.selector}._domainkey.${key.domain})` : '' }));
    }
  } else lines.push(text.t('cli.inspect.opendkimMissing'));
  if (inspection.aliases.length > 0) lines.push(text.t('cli.inspect.aliases', { aliases: inspection.aliases.map((a) => `${a.name} → ${a.targets}`).join('; ') }));
  lines.push('', text.t('cli.inspect.findings'));
  const mark = { problem: '✗', warning: '!', info: '·' } as const;
  for (const f of inspection.findings) lines.push(`  ${mark[f.severity]} ${text.keyed('findings', f)}`);
  return lines;
}

export const inspectCommand: Command = {
  name: 'inspect',
  usage: `inspect ${sshUsage} [--json]`,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(this, argv, { ...sshOptionSpec, json: { type: 'boolean' } });
    const options = readSshOptions(values, io);
    const session = await connectFromCli(options, io);
    try {
      const inspection = await inspectServer(session);
      if (values.json) writeJson(io, { ok: true, inspection, roundTrips: session.roundTrips });
      else writeLines(io, formatInspection(inspection, cliText(io.env)));
      return 0;
    } finally {
      await session.close();
    }
  },
};
