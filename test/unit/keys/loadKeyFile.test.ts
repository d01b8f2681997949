import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HomemailError } from '../../../shared/errors.js';
import { loadDkimKeyFile, parseDkimSpec } from '../../../main/services/keys/loadKeyFile.js';

const dir = mkdtempSync(path.join(tmpdir(), 'homemail-loadkey-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function openssl(...args: string[]): Buffer {
  return execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
}

function file(name: string, content: string | Buffer): string {
  const full = path.join(dir, name);
  writeFileSync(full, content, { mode: 0o600 });
  return full;
}

async function refusal(promise: Promise<unknown>): Promise<HomemailError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HomemailError);
  expect((error as HomemailError).code).toBe('bad-input');
  expect((error as HomemailError).details?.field).toBe('dkim');
  return error as HomemailError;
}

openssl('genrsa', '-out', 'pkcs8.pem', '2048');
openssl('rsa', '-in', 'pkcs8.pem', '-traditional', '-out', 'pkcs1.pem');
openssl('genpkey', '-algorithm', 'ed25519', '-out', 'ed.pem');

describe('loadDkimKeyFile', () => {
  it.each(['pkcs8.pem', 'pkcs1.pem'])('reads an RSA key (%s) and derives p= as openssl pkey -pubout does', async (name) => {
    const key = await loadDkimKeyFile('Sel', path.join(dir, name), '日本語.jp');
    expect(key).toMatchObject({ selector: 'sel', domain: 'xn--wgv71a119e.jp', type: 'rsa', bits: 2048 });
    expect(key.publicKeyBase64).toBe(openssl('pkey', '-in', name, '-pubout', '-outform', 'DER').toString('base64'));
    expect(key.privateKeyPem).toBe(readFileSync(path.join(dir, name), 'utf8'));
  });

  it('reads an Ed25519 key and gives the raw 32 bytes as p=', async () => {
    const key = await loadDkimKeyFile('ed', path.join(dir, 'ed.pem'), 'example.jp');
    expect(key.type).toBe('ed25519');
    expect(key.publicKeyBase64).toBe(openssl('pkey', '-in', 'ed.pem', '-pubout', '-outform', 'DER').subarray(-32).toString('base64'));
  });

  it('keeps only the PEM block, with Unix line ends', async () => {
    const pem = readFileSync(path.join(dir, 'pkcs1.pem'), 'utf8');
    const key = await loadDkimKeyFile('s', file('noisy.pem', `Some comment\r\n${pem.replace(/\n/g, '\r\n')}trailer\r\n`), 'example.jp');
    expect(key.privateKeyPem).toBe(pem);
  });

  it('refuses a missing file, naming it', async () => {
    const error = await refusal(loadDkimKeyFile('s', path.join(dir, 'nope.private'), 'example.jp'));
    expect(error.message).toContain('nope.private: no such file');
  });

  it('refuses a folder', async () => {
    mkdirSync(path.join(dir, 'folder'));
    expect((await refusal(loadDkimKeyFile('s', path.join(dir, 'folder'), 'example.jp'))).message).toMatch(/folder/);
  });

  it('refuses an unreadable file', async () => {
    if (process.getuid?.() === 0) {
      // root reads anything; check the message through a path that cannot be opened instead.
      const error = await refusal(loadDkimKeyFile('s', path.join(dir, 'pkcs1.pem', 'x'), 'example.jp'));
      expect(error.message).toMatch(/cannot be read|no such file/);
      return;
    }
    const locked = file('locked.pem', readFileSync(path.join(dir, 'pkcs1.pem')));
    chmodSync(locked, 0o000);
    expect((await refusal(loadDkimKeyFile('s', locked, 'example.jp'))).message).toMatch(/permission denied/);
  });

  it('refuses an encrypted key and says how to decrypt a copy', async () => {
    openssl('pkey', '-in', 'pkcs8.pem', '-aes256', '-passout', 'pass:secret', '-out', 'encrypted.pem');
    const error = await refusal(loadDkimKeyFile('s', path.join(dir, 'encrypted.pem'), 'example.jp'));
    expect(error.message).toMatch(/encrypted/);
    expect(error.hint).toMatch(/openssl pkey/);
  });

  it('refuses a traditional encrypted RSA key (Proc-Type: 4,ENCRYPTED)', async () => {
    openssl('rsa', '-in', 'pkcs8.pem', '-traditional', '-aes256', '-passout', 'pass:secret', '-out', 'encrypted1.pem');
    expect(readFileSync(path.join(dir, 'encrypted1.pem'), 'utf8')).toContain('Proc-Type: 4,ENCRYPTED');
    expect((await refusal(loadDkimKeyFile('s', path.join(dir, 'encrypted1.pem'), 'example.jp'))).message).toMatch(/encrypted/);
  });

  it('refuses a public key, a certificate, an SSH key and text', async () => {
    openssl('pkey', '-in', 'pkcs8.pem', '-pubout', '-out', 'public.pem');
    openssl('req', '-x509', '-key', 'pkcs8.pem', '-subj', '/CN=x', '-days', '1', '-out', 'cert.pem');
    expect((await refusal(loadDkimKeyFile('s', path.join(dir, 'public.pem'), 'example.jp'))).message).toMatch(/public key/);
    expect((await refusal(loadDkimKeyFile('s', path.join(dir, 'cert.pem'), 'example.jp'))).message).toMatch(/certificate/);
    const ssh = file('id_ed25519', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n');
    expect((await refusal(loadDkimKeyFile('s', ssh, 'example.jp'))).message).toMatch(/SSH key/);
    const txt = file('s.txt', 's._domainkey IN TXT ( "v=DKIM1; k=rsa; p=MIIB" )');
    expect((await refusal(loadDkimKeyFile('s', txt, 'example.jp'))).message).toMatch(/not a PEM private key/);
  });

  it('refuses a damaged key, other key types and RSA under 1024 bits', async () => {
    const pem = readFileSync(path.join(dir, 'pkcs1.pem'), 'utf8');
    const damaged = file('damaged.pem', pem.replace(/\n[A-Za-z0-9+/]{20}/, '\n'));
    expect((await refusal(loadDkimKeyFile('s', damaged, 'example.jp'))).message).toMatch(/damaged/);
    openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'ec.pem');
    expect((await refusal(loadDkimKeyFile('s', path.join(dir, 'ec.pem'), 'example.jp'))).message).toMatch(/ec key; DKIM signs with RSA or Ed25519/);
    openssl('genrsa', '-out', 'small.pem', '768');
    expect((await refusal(loadDkimKeyFile('s', path.join(dir, 'small.pem'), 'example.jp'))).message).toMatch(/768-bit.*RFC 8301/);
  });

  it('refuses a bad selector or domain before reading', async () => {
    await refusal(loadDkimKeyFile('a/b', path.join(dir, 'pkcs1.pem'), 'example.jp'));
    const error = await loadDkimKeyFile('s', path.join(dir, 'pkcs1.pem'), 'bad domain').catch((e: unknown) => e);
    expect((error as HomemailError).details?.field).toBe('domain');
  });
});

describe('parseDkimSpec', () => {
  it('splits at the first colon, so Windows paths keep theirs', () => {
    expect(parseDkimSpec('202611:./keys/202611.private')).toEqual({ selector: '202611', file: './keys/202611.private' });
    expect(parseDkimSpec('S1:C:\\keys\\s1.private')).toEqual({ selector: 's1', file: 'C:\\keys\\s1.private' });
  });

  it.each(['202611', ':file', '202611:', 'bad sel:file'])('refuses %j', (value) => {
    expect(() => parseDkimSpec(value)).toThrow(HomemailError);
  });
});
