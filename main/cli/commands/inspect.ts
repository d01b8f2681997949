import { englishRenderer, type TextRenderer } from '../../../shared/i18n/checkLines.js';
import type { Inspection } from '../../../shared/inspection.js';
import { inspectServer } from '../../services/inspect/inspect.js';
import { parseCommandArgs, writeJson, writeLines, type CliIO, type Command } from '../command.js';
import { cliText } from '../language.js';
import { connectFromCli, readSshOptions, sshOptionSpec, sshUsage } from '../sshOptions.js';

/** The readable picture for a terminal. */
export function formatInspection(inspection: Inspection, text: TextRenderer = englishRenderer): string[] {
  const { os, postfix, opendkim } = inspection;
  const lines = [
    `Server     ${inspection.target.user}@${inspection.target.host}:${inspection.target.port} (${inspection.hostname ?? '?'}), as ${inspection.privilege}`,
    `System     ${os.prettyName ?? os.id ?? 'unknown'}; packages: ${inspection.packageManager ?? 'unknown'}; services: ${inspection.serviceManager}`,
    `Addresses  ${inspection.addresses.filter((a) => a.scope !== 'loopback').map((a) => a.address).join(', ') || 'none found'}`,
  ];
  if (postfix) {
    lines.push(
      `Postfix    ${postfix.version ?? '?'} (${postfix.running ? 'running' : 'stopped'}); myhostname ${postfix.myhostname ?? '?'}, mydomain ${postfix.mydomain ?? '?'}, myorigin ${postfix.myorigin ?? '?'}`,
      `           mydestination: ${postfix.mydestination.join(', ') || '(none)'}; smtpd chroot: ${postfix.smtpdChroot === null ? 'unknown' : postfix.smtpdChroot ? 'yes' : 'no'}`,
      `           milters: ${postfix.milters.map((m) => `${m.value} [${m.service ?? m.source}]`).join(', ') || '(none)'}; default action: ${postfix.milterDefaultAction ?? '?'}`,
    );
    if (postfix.contentFilters.length > 0) lines.push(`           content filters: ${postfix.contentFilters.map((f) => `${f.value} [${f.service ?? f.source}]`).join(', ')}`);
  } else lines.push('Postfix    not installed');
  if (opendkim.installed) {
    lines.push(`OpenDKIM   ${opendkim.version ?? '?'} (${opendkim.running ? 'running' : 'stopped'}); mode: ${opendkim.mode}; socket: ${opendkim.socket ?? '(none)'}; Ed25519: ${opendkim.canSignEd25519 === null ? 'unknown' : opendkim.canSignEd25519 ? 'yes' : 'no'}`);
    for (const key of opendkim.keys) {
      lines.push(`           key ${key.path}: ${key.exists ? `${key.keyType ?? '?'} ${key.bits ?? '?'} bits, ${key.owner}:${key.group} ${key.mode}` : 'missing'}${key.domain ? ` (${key.selector}._domainkey.${key.domain})` : ''}`);
    }
  } else lines.push('OpenDKIM   not installed');
  if (inspection.aliases.length > 0) lines.push(`Aliases    ${inspection.aliases.map((a) => `${a.name} → ${a.targets}`).join('; ')}`);
  lines.push('', 'Findings:');
  const mark = { problem: '✗', warning: '!', info: '·' } as const;
  for (const f of inspection.findings) lines.push(`  ${mark[f.severity]} ${text.keyed('findings', f)}`);
  return lines;
}

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'Show what the server has: OS, Postfix, OpenDKIM, milters, keys, services (changes nothing).',
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
