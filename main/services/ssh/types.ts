/**
 * The seam between the SSH layer and everything that works on a server (inspect, plan/apply,
 * send-test, reports). Services take a RemoteSession; the SSH layer makes them.
 */

export interface SshTarget {
  user: string;
  host: string;
  port: number;
}

export interface ExecOptions {
  /** Run as root: directly when logged in as root, else through sudo (password on stdin, never argv). */
  sudo?: boolean;
  /** Bytes for the command's standard input (after sudo's password line, when one is needed). */
  stdin?: string | Uint8Array;
  /** Standard output as it arrives (UTF-8 decoded across chunk boundaries), besides the full result. */
  onStdout?: (text: string) => void;
  /**
   * A conversation within the one command: stdin stays open after `stdin`, and each complete
   * line of standard output is handed here with the means to write more input or end it.
   * Stdin closes when this calls `end()`, or with the command.
   */
  converse?: (line: string, input: ExecInput) => void;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ExecInput {
  write(text: string): void;
  end(): void;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface StreamExecOptions extends Omit<ExecOptions, 'onStdout'> {
  /**
   * Standard output as it arrives (UTF-8 decoded across chunk boundaries), and nowhere else:
   * it is not collected. While a promise it returns is pending, the channel is not read, so
   * the server waits (SSH flow control) instead of the output piling up here.
   */
  onStdout: (text: string) => void | Promise<void>;
}

/** A streamed command's outcome: its standard output went to `onStdout` only. */
export type StreamExecResult = Omit<ExecResult, 'stdout'>;

export interface RemoteSession {
  readonly target: SshTarget;
  /** Logged in as root (no sudo needed). */
  readonly isRoot: boolean;
  /**
   * Runs one shell command line on the server. Build it only with the SSH layer's quoting
   * function: no user input may reach a shell any other way. One call is one round trip.
   */
  exec(commandLine: string, options?: ExecOptions): Promise<ExecResult>;
  /** Like exec, for output too large to hold: it goes to `onStdout` as it arrives, at the pace that is read. */
  execStream(commandLine: string, options: StreamExecOptions): Promise<StreamExecResult>;
  /** Commands and SFTP operations since login: what the benchmarks and host tests count. */
  readonly roundTrips: number;
  close(): Promise<void>;
}
