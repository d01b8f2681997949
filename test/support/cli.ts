import { PassThrough } from 'node:stream';
import { runCli } from '../../main/cli/main.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs `homemail ARGV` in this process, as the bin would, and returns its exit status and
 * what it wrote. `stdin` is what --password-stdin would read. No ssh-agent unless `env` says.
 */
export async function runCliCaptured(argv: readonly string[], options: { stdin?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  stdin.end(options.stdin ?? '');
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await runCli([...argv], { stdout, stderr, stdin, env: options.env ?? { ...process.env, SSH_AUTH_SOCK: '' }, cwd: options.cwd ?? process.cwd() });
  return { code, out, err };
}
