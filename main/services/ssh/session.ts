import type { Client, ClientChannel } from 'ssh2';
import { keyedError } from '../../../shared/errors.js';
import type { PrivilegeMode } from '../../../shared/inspection.js';
import type { HostKeyInfo } from './hostKey.js';
import { sudoCommandLine, takeSudoMarker } from './sudo.js';
import { StringDecoder } from 'node:string_decoder';
import type { ExecInput, ExecOptions, ExecResult, RemoteSession, SshTarget, StreamExecOptions, StreamExecResult } from './types.js';

export const defaultCommandTimeoutMs = 120_000;

/** One piece of standard output: the bytes, and their text (decoded on demand, across pieces). */
type StdoutChunk = (chunk: Buffer, text: () => string) => void | Promise<void>;

/** One logged-in SSH connection: the RemoteSession every server service uses. */
export class SshSession implements RemoteSession {
  readonly target: SshTarget;
  readonly hostKey: HostKeyInfo;
  #client: Client;
  #sudoPassword: string | undefined;
  #roundTrips = 0;
  #privilege: PrivilegeMode | null;
  #closed = false;

  constructor(client: Client, target: SshTarget, hostKey: HostKeyInfo, sudoPassword: string | undefined) {
    this.#client = client;
    this.target = target;
    this.hostKey = hostKey;
    this.#sudoPassword = sudoPassword;
    this.#privilege = target.user === 'root' ? 'root' : null;
    client.on('close', () => {
      this.#closed = true;
    });
  }

  get isRoot(): boolean {
    return this.#privilege === 'root';
  }

  get roundTrips(): number {
    return this.#roundTrips;
  }

  /** How root was reached, once a sudo command has run (null before). */
  get privilege(): PrivilegeMode | null {
    return this.#privilege;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Counts an SFTP operation (or any request) made outside exec. */
  countRoundTrip(): void {
    this.#roundTrips += 1;
  }

  get client(): Client {
    return this.#client;
  }

  async exec(commandLine: string, options: ExecOptions = {}): Promise<ExecResult> {
    const stdout: Buffer[] = [];
    const { onStdout } = options;
    const raw = await this.#exec(commandLine, options, (chunk, text) => {
      stdout.push(chunk);
      onStdout?.(text());
    });
    return { ...raw, stdout: Buffer.concat(stdout).toString('utf8') };
  }

  async execStream(commandLine: string, options: StreamExecOptions): Promise<StreamExecResult> {
    return this.#exec(commandLine, options, (_chunk, text) => options.onStdout(text()));
  }

  async #exec(commandLine: string, options: Omit<ExecOptions, 'onStdout'>, onChunk: StdoutChunk): Promise<StreamExecResult> {
    if (this.#closed) throw keyedError('ssh-unreachable', { key: 'connectionClosed', params: { host: this.target.host } }, { hint: { key: 'connectAgain', params: {} } });
    const viaSudo = options.sudo === true && this.#privilege !== 'root';
    const hasPassword = this.#sudoPassword !== undefined;
    const line = viaSudo ? sudoCommandLine(commandLine, hasPassword, this.#privilege) : commandLine;
    const body = typeof options.stdin === 'string' ? Buffer.from(options.stdin, 'utf8') : options.stdin ? Buffer.from(options.stdin) : undefined;
    const stdin = viaSudo && hasPassword ? Buffer.concat([Buffer.from(`${this.#sudoPassword}\n`, 'utf8'), body ?? Buffer.alloc(0)]) : body;
    this.#roundTrips += 1;
    const raw = await this.#run(line, stdin, options.timeoutMs ?? defaultCommandTimeoutMs, options.signal, onChunk, options.converse);
    if (!viaSudo) return raw;
    const { outcome, stderr } = takeSudoMarker(raw.stderr);
    if (outcome === 'root') this.#privilege = 'root';
    else if (outcome === 'nopasswd') this.#privilege = 'sudo-nopasswd';
    else if (outcome === 'password') this.#privilege = 'sudo-password';
    else if (outcome === 'refused') {
      throw keyedError('sudo-failed', { key: 'sudoRefused', params: { user: this.target.user, host: this.target.host } }, { hint: { key: 'sudoPassword', params: {} } });
    } else if (outcome === 'needs-password') {
      throw keyedError('sudo-failed', { key: 'sudoNeedsPassword', params: { user: this.target.user, host: this.target.host } }, { hint: { key: 'sudoGivePassword', params: { field: 'password' } } });
    } else if (outcome === 'missing') {
      throw keyedError('sudo-failed', { key: 'sudoMissing', params: { user: this.target.user, host: this.target.host } }, { hint: { key: 'installSudo', params: {} } });
    }
    return { ...raw, stderr };
  }

  #run(line: string, stdin: Buffer | undefined, timeoutMs: number, signal: AbortSignal | undefined, onChunk: StdoutChunk, converse?: ExecOptions['converse']): Promise<StreamExecResult> {
    return new Promise<StreamExecResult>((resolve, reject) => {
      if (signal?.aborted) {
        reject(keyedError('cancelled', { key: 'commandCancelledBeforeStart', params: {} }));
        return;
      }
      let channel: ClientChannel | null = null;
      let settled = false;
      const stderr: Buffer[] = [];
      let code: number | null = null;
      let exitSignal: string | null = null;
      const stop = () => {
        if (!channel) return;
        try {
          channel.signal('KILL');
        } catch {
          // the server may not support signals; closing the channel is enough
        }
        channel.close();
      };
      const finish = (error: Error | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (error) {
          stop();
          reject(error);
          return;
        }
        resolve({
          code: code ?? (exitSignal ? 128 + (exitSignal === 'KILL' ? 9 : 15) : 255),
          stderr: Buffer.concat(stderr).toString('utf8'),
        });
      };
      const onAbort = () => finish(keyedError('cancelled', { key: 'commandCancelled', params: {} }));
      const timer = setTimeout(
        () =>
          finish(
            keyedError('ssh-timeout', { key: 'commandTimeout', params: { host: this.target.host, seconds: Math.round(timeoutMs / 1000) } }, {
              hint: { key: 'serverBusy', params: {} },
            }),
          ),
        timeoutMs,
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#client.exec(line, (error, stream) => {
        if (error) {
          finish(keyedError('ssh-unreachable', { key: 'commandRefused', params: { detail: error.message } }, { cause: error }));
          return;
        }
        channel = stream;
        if (settled) {
          stop();
          return;
        }
        const decoder = new StringDecoder('utf8');
        // A conversation (ExecOptions.converse): stdin stays open, each complete stdout line is handed over.
        let open = converse !== undefined;
        const input: ExecInput = {
          write: (text) => {
            if (open) stream.write(text);
          },
          end: () => {
            if (open) stream.end();
            open = false;
          },
        };
        const lineDecoder = new StringDecoder('utf8');
        let partial = '';
        const converseWith = (chunk: Buffer): void => {
          if (!converse) return;
          const lines = (partial + lineDecoder.write(chunk)).split('\n');
          partial = lines.pop() ?? '';
          for (const complete of lines) converse(complete, input);
        };
        // Output the reader is still working on: the channel stays paused until it is done.
        let busy: Promise<void> | null = null;
        let closed = false;
        let ended = false;
        // Done once the channel closed and every piece of output it buffered was handed on.
        const settleIfDone = () => {
          if (closed && busy === null && (ended || stream.readableLength === 0)) finish(null);
        };
        stream.on('end', () => {
          ended = true;
          settleIfDone();
        });
        stream.on('data', (chunk: Buffer) => {
          let returned: void | Promise<void>;
          try {
            returned = onChunk(chunk, () => decoder.write(chunk));
            converseWith(chunk);
          } catch (error) {
            input.end();
            finish(error instanceof Error ? error : new Error(String(error)));
            return;
          }
          if (!(returned instanceof Promise)) return;
          stream.pause();
          const waiting = returned.then(
            () => {
              if (busy === waiting) busy = null;
              stream.resume();
              settleIfDone();
            },
            (error: unknown) => finish(error instanceof Error ? error : new Error(String(error))),
          );
          busy = waiting;
        });
        stream.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
        stream.on('exit', (exitCode: number | null, signalName?: string) => {
          code = exitCode;
          exitSignal = signalName ?? null;
        });
        stream.on('close', () => {
          closed = true;
          settleIfDone();
        });
        stream.on('error', (streamError: Error) => finish(streamError));
        if (converse) {
          if (stdin && stdin.length > 0) stream.write(stdin);
        } else if (stdin && stdin.length > 0) stream.end(stdin);
        else stream.end();
      });
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#sudoPassword = undefined;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000);
      this.#client.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.#client.end();
    });
    this.#closed = true;
  }
}
