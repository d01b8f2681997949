// The homemail CLI run in-process for the host suites: argv, stdin text, the working directory.
import { PassThrough } from 'node:stream';
import { runCli } from '../../main/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCliIn(cwd: string, argv: readonly string[], stdin = '', env: Record<string, string> = {}): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const input = new PassThrough();
  input.end(stdin);
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (c: Buffer) => out.push(c.toString()));
  stderr.on('data', (c: Buffer) => err.push(c.toString()));
  const code = await runCli([...argv], { stdout, stderr, stdin: input, env, cwd });
  return { code, stdout: out.join(''), stderr: err.join('') };
}
