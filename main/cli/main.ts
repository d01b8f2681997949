import { exitCodeFor, HomemailError, serializeError } from '../../shared/errors.js';
import { readVersion } from '../version.js';
import type { CliIO } from './command.js';
import { commands } from './commands/index.js';

export function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'homemail: make a self-hosted Postfix server\'s mail trusted (DKIM, SPF, DMARC).',
    '',
    'Usage: homemail <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'SSH options (inspect, plan, apply, rollback, send-test, reports, inbound):',
    '  --ssh [user@]host[:port]  -i FILE  --password-stdin  --known-hosts FILE  --accept-new-host-key',
    '',
    'Exit codes: 0 success; 1 checks failed; 2 bad input or usage; 3 SSH connection, host key,',
    'login or sudo refused; 4 apply failed and was rolled back.',
    '',
    'Run `homemail <command> --help` for the options of one command.',
  ].join('\n');
}

/** Runs the CLI and returns its exit status; never calls process.exit itself. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${helpText()}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${readVersion()}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`homemail: unknown command "${name}".\n\n${helpText()}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`Usage: homemail ${command.usage}\n\n${command.summary}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    const serialized = serializeError(error);
    if (rest.includes('--json')) io.stdout.write(`${JSON.stringify({ ok: false, error: serialized }, null, 2)}\n`);
    io.stderr.write(`homemail ${command.name}: ${serialized.message}\n`);
    if (serialized.hint) io.stderr.write(`${serialized.hint}\n`);
    if (!(error instanceof HomemailError) && io.env.HOMEMAIL_DEBUG && error instanceof Error) io.stderr.write(`${error.stack ?? ''}\n`);
    return exitCodeFor(serialized.code);
  }
}
