import { errorMessageText } from '../../shared/i18n/keyedText.js';
import { exitCodeFor, HomemailError, serializeError, type SerializedError } from '../../shared/errors.js';
import { readVersion } from '../version.js';
import { oneLine, usageHintIn, writeErrorLine, writeJson, writeText, type CliIO, type Command } from './command.js';
import { commands } from './commands/index.js';
import { fieldFlag } from './fieldFlags.js';
import { sshUsage } from './sshOptions.js';
import { cliText, type CliText } from './language.js';

export function helpText(text: CliText): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${text.t(`cli.summary.${c.name}`)}`);
  return [
    text.t('cli.help.about'),
    '',
    text.t('cli.help.usage'),
    '',
    text.t('cli.help.commands'),
    ...lines,
    '',
    text.t('cli.help.sshOptions'),
    `  ${sshUsage}`,
    '',
    text.t('cli.help.exitCodes'),
    '',
    text.t('cli.help.more'),
  ].join('\n');
}

/**
 * An error's message and hint in the CLI's language, from their codes when the service gave them
 * (options named as flags; a refused value's problem after the option that gave it), and a
 * program's own output as a labelled quote.
 */
export function errorTexts(error: SerializedError, text: CliText): { message: string; hint: string | undefined; output: string | undefined } {
  const field = error.details?.field;
  const message = errorMessageText(text.keyed, error, (problem) => (typeof field === 'string' ? text.t('cli.fieldProblem', { option: fieldFlag(field).split(' ')[0] ?? field, problem }) : problem));
  const hint = error.hintSentence ? text.keyed('serviceHints', { ...error.hintSentence, text: error.hint ?? '' }) : error.hint;
  const output = error.output === undefined ? undefined : `${text.t('app.technicalDetails')}\n${error.output.split('\n').map((line) => `  > ${line}`).join('\n')}`;
  return { message, hint, output };
}

/** One command's `--help`: its usage line, what it does, and its notes where the catalog has them. */
export function commandHelp(command: Command, text: CliText): string {
  const note = `cli.usageNote.${command.name}`;
  return [text.t('cli.help.usageOf', { usage: command.usage }), '', text.t(`cli.summary.${command.name}`), ...(text.exists(note) ? ['', text.t(note, command.helpParams)] : [])].join('\n');
}

/** Runs the CLI and returns its exit status; never calls process.exit itself. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    writeText(io, `${helpText(cliText(io.env))}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${readVersion()}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    const text = cliText(io.env);
    writeErrorLine(io, `${text.t('cli.help.unknownCommand', { name: oneLine(name) })}\n\n${helpText(text)}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    writeText(io, `${commandHelp(command, cliText(io.env))}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    const serialized = serializeError(error);
    if (rest.includes('--json')) writeJson(io, { ok: false, error: serialized });
    const text = cliText(io.env);
    const { message, hint, output } = errorTexts(serialized, text);
    if (text.language === 'en') writeErrorLine(io, `homemail ${command.name}: ${message}`);
    else {
      // Other languages: the catalog's sentence around the service's detail, and its advice.
      writeErrorLine(io, `homemail ${command.name}: ${text.t(`errors.${serialized.code}`, { message })}`);
      writeErrorLine(io, `${text.t('app.whatNext')} ${text.t(`errorHints.${serialized.code}`)}`);
    }
    if (hint) writeErrorLine(io, usageHintIn(hint, text));
    if (output) writeErrorLine(io, output);
    if (!(error instanceof HomemailError) && io.env.HOMEMAIL_DEBUG && error instanceof Error) writeErrorLine(io, error.stack ?? '');
    return exitCodeFor(serialized.code);
  }
}
