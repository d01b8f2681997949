import { spawn } from 'node:child_process';

/** The lock every user of the shared test host takes (test/host/README.md, `flock`). */
export const HOST_LOCK = '/tmp/homemail-host.lock';

export interface HeldLock {
  /** How long we waited for other users of the host. */
  waitedMs: number;
  release(): Promise<void>;
}

/**
 * Takes the host lock with a child `flock` that holds it until release() closes its stdin.
 * If this process dies, the pipe closes and flock exits, so the lock never outlives us.
 */
export async function takeHostLock(file = HOST_LOCK, timeoutMs = 15 * 60_000): Promise<HeldLock> {
  const started = performance.now();
  // A fixed script (no input reaches the shell): say so once locked, then wait for stdin to close.
  const child = spawn('flock', ['--timeout', String(Math.ceil(timeoutMs / 1000)), file, 'sh', '-c', 'echo locked; exec cat >/dev/null'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', (error) => reject(new Error(`cannot run flock: ${error.message}`)));
    child.once('exit', (code) => reject(new Error(`flock ${file} gave up (exit ${code ?? 'signal'}): ${stderr.trim() || 'another host user held it too long'}`)));
  });
  const waitedMs = performance.now() - started;
  return {
    waitedMs,
    release: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}
