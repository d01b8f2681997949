import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHostKey, forgetKnownHost, parseKnownHosts } from '../../../main/services/ssh/knownHosts.js';

const keyA = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
const keyB = 'AAAAC3NzaC1lZDI1NTE5AAAAIBbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const hashed = (name: string): string => {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
};

describe('forgetting a host key', () => {
  it('drops every plain entry of that host and port (also hashed ones), keeping other hosts, comments and markers', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'hm-kh-')), 'known_hosts');
    const lines = [
      '# kept comment',
      `[mail.example.jp]:2222 ssh-ed25519 ${keyA}`,
      `mail.example.jp ssh-ed25519 ${keyB}`,
      `${hashed('[mail.example.jp]:2222')} ssh-rsa ${keyB}`,
      `@cert-authority [mail.example.jp]:2222 ssh-ed25519 ${keyB}`,
      `other.example.jp,[mail.example.jp]:2222 ssh-ed25519 ${keyB}`,
      '',
    ];
    writeFileSync(file, lines.join('\n'), { mode: 0o600 });
    expect(await forgetKnownHost(file, 'mail.example.jp', 2222)).toBe(3);
    const text = readFileSync(file, 'utf8');
    expect(text).toBe(['# kept comment', `mail.example.jp ssh-ed25519 ${keyB}`, `@cert-authority [mail.example.jp]:2222 ssh-ed25519 ${keyB}`, ''].join('\n'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // The next connection meets an unknown key (consent again), not a changed one.
    expect(checkHostKey(parseKnownHosts(text), 'mail.example.jp', 2222, keyA).status).toBe('unknown');
    expect(await forgetKnownHost(file, 'mail.example.jp', 2222)).toBe(0);
  });

  it('does nothing when the file does not exist', async () => {
    expect(await forgetKnownHost(path.join(tmpdir(), 'hm-no-such-dir', 'known_hosts'), 'a.example', 22)).toBe(0);
  });
});
