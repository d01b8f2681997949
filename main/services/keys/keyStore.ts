import { randomUUID } from 'node:crypto';
import type { DkimKeyInfo } from '../../../shared/contract/records.js';
import { keyedError } from '../../../shared/errors.js';
import { publicInfo, type DkimKey } from './dkimKey.js';

export interface StoredDkimKey {
  keyId: string;
  key: DkimKey;
  info: DkimKeyInfo;
}

/**
 * The wizard's keys, in main-process memory only: generated here, handed to plan/apply by
 * keyId, never written to disk by the store and never sent to the renderer, which sees
 * `DkimKeyInfo` (public key and fingerprint) only.
 */
export class KeyStore {
  readonly #keys = new Map<string, StoredDkimKey>();

  add(key: DkimKey): DkimKeyInfo {
    const keyId = randomUUID();
    const info = publicInfo(keyId, key);
    this.#keys.set(keyId, { keyId, key, info });
    return info;
  }

  /** The key with its private half, for the main process (plan/apply). */
  get(keyId: string): DkimKey | undefined {
    return this.#keys.get(keyId)?.key;
  }

  /** Like get, but a missing key is a `not-found` error the wizard can show. */
  require(keyId: string): DkimKey {
    const key = this.get(keyId);
    if (key === undefined) {
      throw keyedError('not-found', { key: 'keyGone', params: {} }, {
        hint: { key: 'keyAgain', params: { field: 'dkim' } },
        details: { keyId },
      });
    }
    return key;
  }

  info(keyId: string): DkimKeyInfo | undefined {
    return this.#keys.get(keyId)?.info;
  }

  /** Public information on every key, oldest first, optionally for one domain. */
  list(domain?: string): DkimKeyInfo[] {
    return [...this.#keys.values()].map((s) => s.info).filter((info) => domain === undefined || info.domain === domain);
  }

  remove(keyId: string): boolean {
    return this.#keys.delete(keyId);
  }

  clear(): void {
    this.#keys.clear();
  }

  get size(): number {
    return this.#keys.size;
  }
}

/** The process-wide store the handlers and plan/apply share. */
export const keyStore = new KeyStore();
