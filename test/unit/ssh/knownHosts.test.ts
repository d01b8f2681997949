import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeHostKey, formatHostKey } from '../../../main/services/ssh/hostKey.js';
import { addKnownHost, checkHostKey, hostEntryName, knownAlgorithms, parseKnownHosts } from '../../../main/services/ssh/knownHosts.js';

const keyA = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
const keyB = 'AAAAC3NzaC1lZDI1NTE5AAAAIBbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('known_hosts', () => {
  it('names non-22 ports as [host]:port', () => {
    expect(hostEntryName('Mail.Example.JP', 22)).toBe('mail.example.jp');
    expect(hostEntryName('127.0.0.1', 2222)).toBe('[127.0.0.1]:2222');
  });

  it('finds plain, bracketed, wildcard and hashed entries and ignores comments and markers', () => {
    const text = [
      '# comment',
      `mail.example.jp,192.0.2.1 ssh-ed25519 ${keyA}`,
      `[127.0.0.1]:2222 ssh-ed25519 ${keyA} comment`,
      `*.example.org,!bad.example.org ssh-ed25519 ${keyA}`,
      `${hashed('[hashed.example]:2200')} ssh-ed25519 ${keyA}`,
      `@cert-authority *.example.jp ssh-ed25519 ${keyB}`,
    ].join('\n');
    const entries = parseKnownHosts(text);
    expect(checkHostKey(entries, 'mail.example.jp', 22, keyA).status).toBe('known');
    expect(checkHostKey(entries, '127.0.0.1', 2222, keyA).status).toBe('known');
    expect(checkHostKey(entries, '127.0.0.1', 22, keyA).status).toBe('unknown');
    expect(checkHostKey(entries, 'x.example.org', 22, keyA).status).toBe('known');
    expect(checkHostKey(entries, 'bad.example.org', 22, keyA).status).toBe('unknown');
    expect(checkHostKey(entries, 'hashed.example', 2200, keyA).status).toBe('known');
    expect(checkHostKey(entries, 'hashed.example', 22, keyA).status).toBe('unknown');
  });

  it('reports a different key for a known host as changed, and revoked keys as revoked', () => {
    const entries = parseKnownHosts(`[127.0.0.1]:2222 ssh-ed25519 ${keyA}\n@revoked * ssh-ed25519 ${keyB}\n`);
    const check = checkHostKey(entries, '127.0.0.1', 2222, 'AAAAC3NzaC1lZDI1NTE5AAAAICccccccccccccccccccccccccccccccccccccccccc');
    expect(check.status).toBe('changed');
    expect(checkHostKey(entries, '127.0.0.1', 2222, keyB).status).toBe('revoked');
    expect(knownAlgorithms(entries, '127.0.0.1', 2222)).toEqual(['ssh-ed25519']);
  });

  it('appends entries with private permissions that it reads back', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hm-kh-'));
    const file = path.join(dir, 'sub', 'known_hosts');
    writeFileSync(path.join(dir, 'x'), '');
    await addKnownHost(file, '127.0.0.1', 2222, 'ssh-ed25519', keyA);
    await addKnownHost(file, 'mail.example.jp', 22, 'ssh-ed25519', keyB);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    const entries = parseKnownHosts(readFileSync(file, 'utf8'));
    expect(checkHostKey(entries, '127.0.0.1', 2222, keyA).status).toBe('known');
    expect(checkHostKey(entries, 'mail.example.jp', 22, keyB).status).toBe('known');
  });

  it('prints fingerprints exactly as ssh-keygen -lf', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hm-fp-'));
    for (const type of ['ed25519', 'rsa', 'ecdsa']) {
      const file = path.join(dir, `k_${type}`);
      execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', 'c', '-f', file]);
      const [, blob = ''] = readFileSync(`${file}.pub`, 'utf8').split(' ');
      const expected = execFileSync('ssh-keygen', ['-lf', `${file}.pub`], { encoding: 'utf8' }).trim().replace(' c (', ' (');
      expect(formatHostKey(describeHostKey(Buffer.from(blob, 'base64')))).toBe(expected);
    }
    // ssh-keygen makes a 3072-bit RSA key among them: seconds on a loaded machine.
  }, 30_000);
});
