import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HomemailError } from '../../shared/errors.js';
import { englishText } from '../../shared/i18n/english.js';
import type { TextParams } from '../../shared/i18n/keyedText.js';
import { escapeControlCharacters } from '../../shared/validation/text.js';

export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** One `homemail <name>` command. `run` returns the exit status; errors are thrown as HomemailError. */
export interface Command {
  name: string;
  /** The options, as DESIGN.md writes them; what the command does is `cli.summary.<name>` in the catalogs. */
  usage: string;
  /** Values for the command's `cli.usageNote.<name>` in `--help`. */
  helpParams?: Record<string, string>;
  run(argv: string[], io: CliIO): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util's parseArgs, strict, with its errors turned into usage errors (exit 2). */
export function parseCommandArgs<O extends Options>(command: Pick<Command, 'name' | 'usage'>, argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals });
  } catch (error) {
    throw commandLineError(command, error);
  }
}

/** node:util's parseArgs refusal, said from the catalogs: an unknown option, a missing value, a stray argument. */
function commandLineError(command: Pick<Command, 'name' | 'usage'>, error: unknown): HomemailError {
  const reason = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  const quoted = /'([^']+)'/.exec(reason)?.[1] ?? '';
  const hint = usageHint(command.usage);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return cliError('usage', 'cliUnknownOption', { command: command.name, option: quoted }, { hint });
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return cliError('usage', 'cliUnexpectedArgument', { command: command.name, argument: quoted }, { hint });
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const option = quoted.split(' ')[0] ?? quoted;
    return cliError('usage', /argument missing/.test(reason) ? 'cliOptionNeedsValue' : 'cliOptionTakesNoValue', { command: command.name, option }, { hint });
  }
  // Any other refusal of node:util's parser: our sentence, its own words quoted as technical output.
  return cliError('usage', 'cliCommandLine', { command: command.name }, { hint, output: reason });
}

/**
 * A command line the CLI refuses, said from the catalogs (`serviceErrors.<key>` with params), so
 * it reads in the person's language; `hint` is the command's usage line (usageHint).
 */
export function cliError(code: 'usage' | 'bad-input', key: string, params: TextParams, options: { field?: string; hint?: string; output?: string } = {}): HomemailError {
  return new HomemailError(code, englishText('serviceErrors', key, params), {
    sentence: { key, params },
    ...(options.hint === undefined ? {} : { hint: options.hint }),
    ...(options.output === undefined ? {} : { output: options.output }),
    ...(options.field === undefined ? {} : { details: { field: options.field } }),
  });
}

/**
 * Which option of a command gave the value at a schema's path: its first segment, renamed
 * where the contract's name differs from the option's (addresses is --ip, resolvers is --resolver).
 */
export function flagOf(renamed: Readonly<Record<string, string>> = {}): (path: readonly PropertyKey[]) => string {
  const names: Readonly<Record<string, string>> = { addresses: 'ip', resolvers: 'resolver', ...renamed };
  return (path) => {
    const first = String(path[0] ?? 'input');
    return Object.hasOwn(names, first) ? (names[first] ?? first) : first;
  };
}

const USAGE = 'Usage: homemail ';

/** The hint of a usage error: the command's usage line (put in the person's language where it is printed). */
export function usageHint(usage: string): string {
  return `${USAGE}${usage}`;
}

/** A hint as the CLI prints it: a usage line gets the catalog's "Usage:" word, any other hint is the service's. */
export function usageHintIn(hint: string, text: { t: (key: string, params?: Record<string, string>) => string }): string {
  return hint.startsWith(USAGE) ? text.t('cli.help.usageOf', { usage: hint.slice(USAGE.length) }) : hint;
}

/**
 * Everything the CLI prints goes through these: text from outside (a report's org_name, a
 * Subject, a DNS TXT value, a server's file or output) may carry ESC/OSC sequences that
 * would recolour the terminal, fake lines or write the clipboard (OSC 52). Control
 * characters other than newline and tab are printed as visible `\u{…}` escapes.
 */
export function writeText(io: CliIO, text: string, to: 'stdout' | 'stderr' = 'stdout'): void {
  io[to].write(escapeControlCharacters(text));
}

/** JSON with the characters JSON.stringify leaves raw (DEL, C1, U+2028/2029) escaped too: the result is the same JSON value. */
export function jsonForTerminal(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function writeJson(io: CliIO, value: unknown): void {
  io.stdout.write(`${jsonForTerminal(value)}\n`);
}

export function writeLine(io: CliIO, line = ''): void {
  writeText(io, `${line}\n`);
}

/** Lines built from outside data, one per element: a newline inside an element is printed as an escape, never as a line of its own. */
export function writeLines(io: CliIO, lines: Iterable<string>): void {
  for (const line of lines) writeText(io, `${oneLine(line)}\n`);
}

export function writeErrorLine(io: CliIO, line: string): void {
  writeText(io, `${line}\n`, 'stderr');
}

/** One value from outside inside a line of ours: newlines and tabs escaped too, so it cannot start a fake line. */
export function oneLine(text: string): string {
  return escapeControlCharacters(text, { singleLine: true });
}
