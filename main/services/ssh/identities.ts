import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ssh2 from 'ssh2';
import type { BaseAgent, IdentityCallback, ParsedKey, SignCallback, SigningRequestOptions } from 'ssh2';
import { HomemailError, type ErrorSentence } from '../../../shared/errors.js';
import { englishText } from '../../../shared/i18n/english.js';
import { keyFileError, loadPrivateKey } from './privateKey.js';

const { createAgent, BaseAgent: AgentBase, utils } = ssh2;

/**
 * OpenSSH's default identity files, in the order `ssh` tries them (readconf.c,
 * fill_default_options; ssh_config(5) IdentityFile). They are used only when no identity
 * file is given (-i or IdentityFile), exactly as OpenSSH does. The `_sk` and ML-DSA kinds
 * need a security key or an algorithm Homemail cannot use; they are skipped with a note.
 */
export const defaultIdentityNames = ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_mldsa44_ed25519'] as const;

export type IdentityOrigin = 'option' | 'config' | 'default';

export interface IdentityCandidate {
  file: string;
  origin: IdentityOrigin;
}

/** The key files to try, in order: -i (or the wizard's key field), IdentityFile lines, else the defaults. */
export function identityCandidates(explicit: string | undefined, configured: readonly string[], home: string): IdentityCandidate[] {
  const given: IdentityCandidate[] = [...(explicit === undefined ? [] : [{ file: explicit, origin: 'option' as const }]), ...configured.map((file) => ({ file, origin: 'config' as const }))];
  const chosen = given.length > 0 ? given : defaultIdentityNames.map((name) => ({ file: path.join(home, '.ssh', name), origin: 'default' as const }));
  const seen = new Set<string>();
  return chosen.filter((candidate) => !seen.has(candidate.file) && seen.add(candidate.file));
}

export interface LoadedIdentities {
  keys: Array<{ file: string; key: ParsedKey }>;
  /** Public key blobs of every candidate that exists (from the key or its .pub), for IdentitiesOnly. */
  publicBlobs: Buffer[];
  /** Why a key was not used, one sentence each (never a secret), in English… */
  notes: string[];
  /** …and as codes (`serviceErrors.<key>`). */
  sentences: ErrorSentence[];
  /** Keys that would be usable with their passphrase. */
  needPassphrase: string[];
}

async function publicBlobOf(file: string): Promise<Buffer | null> {
  try {
    const parsed = utils.parseKey(await readFile(`${file}.pub`, 'utf8'));
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    return key && !(key instanceof Error) ? key.getPublicSSH() : null;
  } catch {
    return null;
  }
}

/**
 * Reads the candidate keys. A missing -i file is bad input naming the resolved path; a wrong
 * passphrase for it is auth-failed. Everything else that cannot be used (a missing default,
 * a key needing a passphrase that was not given, a security-key type) is skipped with a note,
 * so that other methods (the agent, a password) still get their turn.
 */
export async function loadIdentities(candidates: readonly IdentityCandidate[], passphrase: string | undefined): Promise<LoadedIdentities> {
  const loaded: LoadedIdentities = { keys: [], publicBlobs: [], notes: [], sentences: [], needPassphrase: [] };
  const note = (sentence: ErrorSentence) => {
    loaded.sentences.push(sentence);
    loaded.notes.push(englishText('serviceErrors', sentence.key, sentence.params));
  };
  for (const { file, origin } of candidates) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      if (origin === 'option') {
        throw keyFileError(file, code);
      }
      if (origin === 'config' && code !== 'ENOENT') note({ key: 'identityUnreadable', params: { file, reason: code } });
      if (code === 'ENOENT') {
        const blob = await publicBlobOf(file);
        if (blob) loaded.publicBlobs.push(blob);
      }
      continue;
    }
    if (/BEGIN OPENSSH PRIVATE KEY/.test(text) && /_sk$/.test(path.basename(file))) {
      note({ key: 'identitySecurityKey', params: { file } });
      const blob = await publicBlobOf(file);
      if (blob) loaded.publicBlobs.push(blob);
      continue;
    }
    try {
      const key = await loadPrivateKey(file, passphrase, text);
      loaded.keys.push({ file, key });
      loaded.publicBlobs.push(key.getPublicSSH());
    } catch (error) {
      const reason = error instanceof HomemailError ? error.details?.reason : undefined;
      if (reason === 'needs-passphrase') {
        loaded.needPassphrase.push(file);
        note({ key: 'identityNeedsPassphrase', params: { file } });
      } else if (origin === 'option') {
        throw error;
      } else if (reason === 'wrong-passphrase') {
        loaded.needPassphrase.push(file);
        note({ key: 'identityWrongPassphrase', params: { file } });
      } else {
        note(error instanceof HomemailError && error.sentence ? error.sentence : { key: 'keyUnreadable', params: { file } });
      }
      const blob = await publicBlobOf(file);
      if (blob) loaded.publicBlobs.push(blob);
    }
  }
  return loaded;
}

/**
 * An ssh-agent seen through Homemail: with IdentitiesOnly it offers only the agent keys that
 * match the identity files (as OpenSSH does), and it remembers how many keys it offered, so a
 * failed login can tell "keys were refused" from "the agent had none".
 */
export class OfferingAgent extends AgentBase<ParsedKey> {
  offered = 0;
  readonly #inner: BaseAgent;
  readonly #only: readonly Buffer[] | null;

  constructor(socket: string, only: readonly Buffer[] | null) {
    super();
    this.#inner = createAgent(socket);
    this.#only = only;
  }

  getIdentities(cb: IdentityCallback<ParsedKey>): void {
    (this.#inner as BaseAgent<ParsedKey>).getIdentities((error, keys) => {
      if (error || !keys) {
        cb(error ?? undefined, []);
        return;
      }
      const only = this.#only;
      const chosen = only === null ? keys : keys.filter((key) => 'getPublicSSH' in key && only.some((blob) => blob.equals(key.getPublicSSH())));
      this.offered = chosen.length;
      cb(undefined, chosen);
    });
  }

  sign(pubKey: ParsedKey, data: Buffer, options: SigningRequestOptions | SignCallback, cb?: SignCallback): void {
    const inner = this.#inner as BaseAgent<ParsedKey>;
    if (typeof options === 'function') inner.sign(pubKey, data, options);
    else inner.sign(pubKey, data, options, cb);
  }
}
