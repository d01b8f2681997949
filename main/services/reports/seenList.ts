/**
 * The messages the watch has already read, as the read script takes them on standard input
 * and names them back: one `SIZE HEX-KEY` line each. The key is the Message-ID (or, without
 * one, the script's `no-message-id; date=…; received=…` stand-in), whitespace removed, as
 * bytes; hex keeps every byte out of the shell and the awk, and Latin-1 maps each byte to one
 * character and back, so a key survives the store unchanged whatever bytes it holds.
 */
export interface MessageKey {
  messageId: string;
  size: number;
}

const MAX_SIZE = Number.MAX_SAFE_INTEGER;

/** The seen list for the script's standard input (keys that cannot be named are left out: they are read again). */
export function encodeSeenList(keys: readonly MessageKey[]): string {
  return keys
    .filter((k) => Number.isSafeInteger(k.size) && k.size >= 0 && k.messageId !== '')
    .map((k) => `${k.size} ${Buffer.from(k.messageId, 'latin1').toString('hex')}\n`)
    .join('');
}

/** `SIZE HEX-KEY` as the script writes it after `seen` or `message`; null when it is not that. */
export function decodeMessageKey(size: string, hexKey: string): MessageKey | null {
  if (!/^[0-9]{1,16}$/.test(size) || !/^(?:[0-9a-f]{2})+$/.test(hexKey)) return null;
  const n = Number(size);
  if (n > MAX_SIZE) return null;
  return { messageId: Buffer.from(hexKey, 'hex').toString('latin1'), size: n };
}
