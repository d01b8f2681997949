import { exitCodeFor, HomemailError, serializeError, type SerializedError } from '../../shared/errors.js';
import { readVersion } from '../version.js';
import { oneLine, writeErrorLine, writeJson, type CliIO } from './command.js';
import { commands } from './commands/index.js';
import { cliText, type CliText } from './language.js';

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

/** An error's message and hint in the CLI's language, from their codes when the service gave them (options named as flags). */
export function errorTexts(error: SerializedError, text: CliText): { message: string; hint: string | undefined } {
  const sentences = error.sentence ? [error.sentence, ...(error.notes ?? [])] : [];
  const message = sentences.length > 0 ? sentences.map((s) => text.keyed('serviceErrors', { ...s, text: s.key })).join('\n') : error.message;
  const hint = error.hintSentence ? text.keyed('serviceHints', { ...error.hintSentence, text: error.hint ?? '' }) : error.hint;
  return { message, hint };
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
    writeErrorLine(io, `homemail: unknown command "${oneLine(name)}".\n\n${helpText()}`);
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
    if (rest.includes('--json')) writeJson(io, { ok: false, error: serialized });
    const text = cliText(io.env);
    const { message, hint } = errorTexts(serialized, text);
    if (text.language === 'en') writeErrorLine(io, `homemail ${command.name}: ${message}`);
    else {
      // Other languages: the catalog's sentence around the service's detail, and its advice.
      writeErrorLine(io, `homemail ${command.name}: ${text.t(`errors.${serialized.code}`, { message })}`);
      writeErrorLine(io, `${text.t('app.whatNext')} ${text.t(`errorHints.${serialized.code}`)}`);
    }
    if (hint) writeErrorLine(io, hint);
    if (!(error instanceof HomemailError) && io.env.HOMEMAIL_DEBUG && error instanceof Error) writeErrorLine(io, error.stack ?? '');
    return exitCodeFor(serialized.code);
  }
}
