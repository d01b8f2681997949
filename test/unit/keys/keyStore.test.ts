import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../main/ipc/dispatch.js';
import { createHandlers } from '../../../main/services/index.js';
import { createKeysHandlers } from '../../../main/services/keys/handlers.js';
import { KeyStore, keyStore } from '../../../main/services/keys/keyStore.js';
import { generateDkimKey } from '../../../main/services/keys/generate.js';
import { writeDkimKeyFiles } from '../../../main/services/keys/writeKeyFiles.js';
import { HomemailError } from '../../../shared/errors.js';

const dir = mkdtempSync(path.join(tmpdir(), 'homemail-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const deps = { door: 'web' as const, version: 'test', dataDir: dir, now: () => new Date() };
const context = { signal: new AbortController().signal, progress: () => undefined };

describe('KeyStore', () => {
  it('keeps the private key in main and hands out public information only', async () => {
    const store = new KeyStore();
    const key = await generateDkimKey({ domain: 'example.jp', selector: 's1', bits: 1024 });
    const info = store.add(key);
    expect(Object.keys(info).sort()).toEqual(['bits', 'domain', 'fingerprint', 'keyId', 'publicKey', 'selector', 'type']);
    expect(JSON.stringify(info)).not.toMatch(/PRIVATE KEY/);
    expect(store.get(info.keyId)?.privateKeyPem).toBe(key.privateKeyPem);
    expect(store.require(info.keyId)).toBe(key);
    expect(store.list()).toEqual([info]);
    expect(store.list('other.jp')).toEqual([]);
    expect(store.remove(info.keyId)).toBe(true);
    expect(store.get(info.keyId)).toBeUndefined();
    expect(() => store.require(info.keyId)).toThrow(HomemailError);
  });
});

describe('keys handlers', () => {
  it('generateDkimKey returns the public key, its record and warnings, never the private key', async () => {
    const store = new KeyStore();
    const handlers = createKeysHandlers(deps, store);
    const result = await handlers.generateDkimKey({ domain: '日本語.jp', selector: '202611', type: 'rsa', bits: 1024 }, context);
    expect(JSON.stringify(result)).not.toMatch(/PRIVATE KEY|MII[A-Za-z0-9+/]{20,}\n/);
    expect(result.key).toMatchObject({ domain: 'xn--wgv71a119e.jp', selector: '202611', type: 'rsa', bits: 1024 });
    expect(result.record.name).toBe('202611._domainkey.xn--wgv71a119e.jp');
    expect(result.record.value).toBe(`v=DKIM1; h=sha256; k=rsa; p=${result.key.publicKey}`);
    expect(result.notes.map((n) => n.key)).toEqual(['dkimRsaWeak']);
    expect(store.get(result.key.keyId)?.privateKeyPem).toMatch(/BEGIN RSA PRIVATE KEY/);
    expect(await handlers.listDkimKeys({ domain: '日本語.JP' }, context)).toEqual([result.key]);
    expect(await handlers.forgetDkimKey({ keyId: result.key.keyId }, context)).toEqual({ removed: true });
    expect(await handlers.listDkimKeys({}, context)).toEqual([]);
  });

  it('through the dispatch gate: bad input names the field and nothing is stored', async () => {
    const before = keyStore.size;
    const handlers = createHandlers(deps);
    const outcome = await dispatch(handlers, 'generateDkimKey', { domain: 'example.jp', selector: 'bad selector' }, context);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'bad-input', details: { field: 'selector' } } });
    const extra = await dispatch(handlers, 'generateDkimKey', { domain: 'example.jp', selector: 's', privateKey: 'x' }, context);
    expect(extra.ok).toBe(false);
    expect(keyStore.size).toBe(before);
    const ok = await dispatch(handlers, 'generateDkimKey', { domain: 'example.jp', selector: 'ok', type: 'ed25519' }, context);
    expect(ok.ok).toBe(true);
    expect(JSON.stringify(ok)).not.toMatch(/PRIVATE KEY/);
    if (ok.ok) keyStore.remove((ok.result as { key: { keyId: string } }).key.keyId);
  });
});

describe('writeDkimKeyFiles', () => {
  it('writes S.private with mode 0600 and S.txt in opendkim-genkey layout', async () => {
    const key = await generateDkimKey({ domain: 'example.jp', selector: 'w1', bits: 1024 });
    const out = path.join(dir, 'new', 'folder');
    const files = await writeDkimKeyFiles(out, key);
    expect(statSync(files.privateKeyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(files.privateKeyFile, 'utf8')).toBe(key.privateKeyPem);
    const txt = readFileSync(files.txtFile, 'utf8');
    expect(txt).toMatch(/^w1\._domainkey\tIN\tTXT\t\( "v=DKIM1; h=sha256; k=rsa; "\n\t {2}"p=/);
    expect(txt.endsWith(' )  ; ----- DKIM key w1 for example.jp\n')).toBe(true);
  });

  it('never overwrites, and leaves nothing behind when the second file exists', async () => {
    const key = await generateDkimKey({ domain: 'example.jp', selector: 'w2', bits: 1024 });
    writeFileSync(path.join(dir, 'w2.txt'), 'keep me');
    const error = await writeDkimKeyFiles(dir, key).catch((e: unknown) => e);
    expect((error as HomemailError).code).toBe('bad-input');
    expect((error as HomemailError).message).toMatch(/already exists/);
    expect(existsSync(path.join(dir, 'w2.private'))).toBe(false);
    expect(readFileSync(path.join(dir, 'w2.txt'), 'utf8')).toBe('keep me');

    writeFileSync(path.join(dir, 'w3.private'), 'old key');
    const key3 = { ...key, selector: 'w3' };
    await expect(writeDkimKeyFiles(dir, key3)).rejects.toThrow(/already exists/);
    expect(readFileSync(path.join(dir, 'w3.private'), 'utf8')).toBe('old key');
    expect(existsSync(path.join(dir, 'w3.txt'))).toBe(false);
  });
});
