import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { HomemailError } from '../../../shared/errors.js';
import { assertNativeRsaPath, generateDkimKey } from '../../../main/services/keys/generate.js';
import { publicKeyFingerprint } from '../../../main/services/keys/dkimKey.js';

const dir = mkdtempSync(path.join(tmpdir(), 'homemail-keygen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** What `openssl pkey -pubout` makes of a private key: the DER body, base64 (the p= value). */
function opensslPublicKey(pem: string): Buffer {
  const file = path.join(dir, `${crypto.randomUUID()}.pem`);
  writeFileSync(file, pem, { mode: 0o600 });
  return execFileSync('openssl', ['pkey', '-in', file, '-pubout', '-outform', 'DER']);
}

async function badField(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HomemailError);
  expect((error as HomemailError).code).toBe('bad-input');
  return String((error as HomemailError).details?.field);
}

describe('generateDkimKey (RSA)', () => {
  it('uses Node\'s native crypto.generateKeyPair through node-forge', async () => {
    expect((forge as unknown as { options: { usePureJavaScript: boolean } }).options.usePureJavaScript).toBe(false);
    const spy = vi.spyOn(crypto, 'generateKeyPair');
    const key = await generateDkimKey({ domain: 'example.jp', selector: 's1', bits: 1024 });
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.calls[0]?.[0]).toBe('rsa');
    expect(spy.mock.calls[0]?.[1]).toMatchObject({ modulusLength: 1024, publicExponent: 0x10001 });
    expect(key.bits).toBe(1024);
  });

  it('makes a 2048-bit key by default whose p= is exactly what openssl pkey -pubout gives', async () => {
    const key = await generateDkimKey({ domain: 'Example.JP', selector: 'Sel' });
    expect(key).toMatchObject({ domain: 'example.jp', selector: 'sel', type: 'rsa', bits: 2048 });
    expect(key.privateKeyPem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+\n-----END RSA PRIVATE KEY-----\n?$/);
    expect(key.publicKeyBase64).toBe(opensslPublicKey(key.privateKeyPem).toString('base64'));
    expect(key.publicKeyBase64).toHaveLength(392);
  });

  it.each([3072, 4096])('makes %i-bit keys too', async (bits) => {
    const key = await generateDkimKey({ domain: 'example.jp', selector: 's', bits });
    expect(key.bits).toBe(bits);
    expect(crypto.createPublicKey({ key: Buffer.from(key.publicKeyBase64, 'base64'), format: 'der', type: 'spki' }).asymmetricKeyDetails?.modulusLength).toBe(bits);
  }, 60_000);

  it('refuses to fall back to pure JavaScript', () => {
    expect(() => assertNativeRsaPath({ options: { usePureJavaScript: true }, util: { isNodejs: '24.0.0' } })).toThrow(/pure-JavaScript/);
    expect(() => assertNativeRsaPath({ options: { usePureJavaScript: false }, util: { isNodejs: false } })).toThrow(HomemailError);
    expect(() => assertNativeRsaPath({ options: { usePureJavaScript: false }, util: { isNodejs: '24.0.0' } })).not.toThrow();
  });

  it('refuses when forge has been switched to pure JavaScript, without generating anything', async () => {
    const options = (forge as unknown as { options: { usePureJavaScript: boolean } }).options;
    const spy = vi.spyOn(forge.pki.rsa, 'generateKeyPair');
    options.usePureJavaScript = true;
    try {
      await expect(generateDkimKey({ domain: 'example.jp', selector: 's' })).rejects.toThrow(/pure-JavaScript/);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      options.usePureJavaScript = false;
    }
  });

  it.each<[string, Parameters<typeof generateDkimKey>[0], string]>([
    ['bits', { domain: 'example.jp', selector: 's', bits: 512 }, 'bits'],
    ['bits', { domain: 'example.jp', selector: 's', bits: 2047 }, 'bits'],
    ['bits for Ed25519', { domain: 'example.jp', selector: 's', type: 'ed25519', bits: 2048 }, 'bits'],
    ['type', { domain: 'example.jp', selector: 's', type: 'dsa' as never }, 'type'],
    ['domain', { domain: 'example..jp', selector: 's' }, 'domain'],
    ['selector', { domain: 'example.jp', selector: 'a b' }, 'selector'],
  ])('refuses a bad %s before generating', async (_label, options, field) => {
    const spy = vi.spyOn(crypto, 'generateKeyPair');
    expect(await badField(generateDkimKey(options))).toBe(field);
    expect(spy).not.toHaveBeenCalled();
  });
});

describe('generateDkimKey (Ed25519)', () => {
  it('gives the raw 32-byte public key as p= (RFC 8463), the last 32 bytes of what openssl prints', async () => {
    const key = await generateDkimKey({ domain: 'example.jp', selector: 'ed', type: 'ed25519' });
    expect(key.type).toBe('ed25519');
    expect(key.bits).toBeUndefined();
    expect(key.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const raw = Buffer.from(key.publicKeyBase64, 'base64');
    expect(raw).toHaveLength(32);
    expect(raw.equals(opensslPublicKey(key.privateKeyPem).subarray(-32))).toBe(true);
  });

  it('signs and verifies with the pair', async () => {
    const key = await generateDkimKey({ domain: 'example.jp', selector: 'ed', type: 'ed25519' });
    const signature = crypto.sign(null, Buffer.from('hello'), key.privateKeyPem);
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(key.publicKeyBase64, 'base64')]);
    expect(crypto.verify(null, Buffer.from('hello'), { key: spki, format: 'der', type: 'spki' }, signature)).toBe(true);
  });
});

describe('publicKeyFingerprint', () => {
  it('is SHA256: and the unpadded base64 digest of the key bytes', () => {
    const p = Buffer.from('key bytes').toString('base64');
    const digest = crypto.createHash('sha256').update('key bytes').digest('base64').replace(/=+$/, '');
    expect(publicKeyFingerprint(p)).toBe(`SHA256:${digest}`);
  });
});
