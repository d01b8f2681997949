import { z } from 'zod';
import type { Inspection } from '../inspection.js';
import { call } from './define.js';
import { lineText, secretLine } from './fields.js';

/** The host key a person must accept before the first login to a server. */
export interface PresentedHostKey {
  host: string;
  port: number;
  /** As `ssh-keygen -lf` labels it: ED25519, RSA, ECDSA. */
  keyType: string;
  bits: number | null;
  /** `SHA256:…`. */
  fingerprint: string;
}

export type ConnectResult =
  | { status: 'confirm-host-key'; hostKey: PresentedHostKey }
  | { status: 'connected'; sessionId: string; target: { user: string; host: string; port: number }; hostKey: PresentedHostKey };

export const sessionCalls = {
  connectServer: call<ConnectResult>()({
    input: z
      .object({
        /** `[user@]host[:port]`; checked again in main (bad-input before connecting). */
        target: lineText(300).pipe(z.string().min(1)),
        /** Login and sudo password; kept in main's memory for this session only. */
        password: secretLine(1024).optional(),
        /** Private key file on this computer (OpenSSH or PEM). */
        privateKeyPath: lineText(4096).pipe(z.string().min(1)).optional(),
        passphrase: secretLine(1024).optional(),
        /** The fingerprint the person accepted after a `confirm-host-key` answer. */
        acceptFingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/).optional(),
        allowLegacyAlgorithms: z.boolean().default(false),
      })
      .strict(),
    description: 'Connects to a server over SSH (one connection per wizard session); asks for consent to an unknown host key first.',
  }),
  inspectServer: call<Inspection>()({
    input: z.object({ sessionId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/) }).strict(),
    description: 'What the server has (OS, Postfix, OpenDKIM, milters, keys), in one round trip.',
  }),
  forgetHostKey: call<{ removed: number; file: string }>()({
    input: z.object({ target: lineText(300).pipe(z.string().min(1)) }).strict(),
    description: 'Forgets the remembered host key of a server in Homemail\'s own known_hosts, after the person confirmed the new key out of band; the next connection asks for consent again.',
  }),
  disconnectServer: call<{ closed: boolean }>()({
    input: z.object({ sessionId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/) }).strict(),
    description: 'Closes the SSH connection of a wizard session.',
  }),
};
