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
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RemoteSession {
  readonly target: SshTarget;
  /** Logged in as root (no sudo needed). */
  readonly isRoot: boolean;
  /**
   * Runs one shell command line on the server. Build it only with the SSH layer's quoting
   * function: no user input may reach a shell any other way. One call is one round trip.
   */
  exec(commandLine: string, options?: ExecOptions): Promise<ExecResult>;
  /** Commands and SFTP operations since login: what the benchmarks and host tests count. */
  readonly roundTrips: number;
  close(): Promise<void>;
}
