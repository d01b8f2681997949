import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../support/cli.js';
import { commands } from '../../../main/cli/commands/index.js';
import { parseQuotedStrings } from '../../../shared/records/txt.js';

const dir = mkdtempSync(path.join(tmpdir(), 'homemail-cli-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, out, err } = await runCliCaptured(argv, { env: {}, cwd: dir });
  return { code, stdout: out, stderr: err };
}

describe('homemail keygen', () => {
  it('is listed in DESIGN.md\'s order before records', () => {
    const names = commands.map((c) => c.name);
    expect(names.slice(0, 2)).toEqual(['keygen', 'records']);
  });

  it('writes S.private (0600) and S.txt, and prints the record; p= matches openssl', async () => {
    const result = await run('keygen', '--domain', 'example.test', '--selector', 'k1', '--bits', '1024', '--out', 'keys');
    expect(result.code).toBe(0);
    const privateFile = path.join(dir, 'keys', 'k1.private');
    expect(statSync(privateFile).mode & 0o777).toBe(0o600);
    const p = execFileSync('openssl', ['pkey', '-in', privateFile, '-pubout', '-outform', 'DER']).toString('base64');
    expect(result.stdout).toContain(`v=DKIM1; h=sha256; k=rsa; p=${p}`);
    const txt = readFileSync(path.join(dir, 'keys', 'k1.txt'), 'utf8');
    const strings = parseQuotedStrings(txt.slice(txt.indexOf('(') + 1, txt.lastIndexOf(')')).replace(/\n\t {2}/g, ' '));
    expect(strings?.join('')).toBe(`v=DKIM1; h=sha256; k=rsa; p=${p}`);
    expect(result.stderr).toMatch(/^warning: Selector k1 is a 1024-bit RSA key\. RFC 8301/);
  });

  it('refuses to overwrite (exit 2) and leaves the old files alone', async () => {
    const before = readFileSync(path.join(dir, 'keys', 'k1.private'), 'utf8');
    const result = await run('keygen', '--domain', 'example.test', '--selector', 'k1', '--out', 'keys');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/already exists/);
    expect(readFileSync(path.join(dir, 'keys', 'k1.private'), 'utf8')).toBe(before);
  });

  it.each([
    [['--domain', 'exa mple.jp', '--selector', 's', '--out', 'x1'], 'domain'],
    [['--domain', 'example.jp', '--selector', 'a/b', '--out', 'x2'], 'selector'],
    [['--domain', 'example.jp', '--selector', 's', '--bits', '1000', '--out', 'x3'], 'bits'],
    [['--domain', 'example.jp', '--selector', 's', '--type', 'dsa', '--out', 'x4'], 'type'],
    [['--domain', 'example.jp', '--selector', 's'], 'out'],
    [['--selector', 's', '--out', 'x5'], 'domain'],
  ])('exit 2 naming the field for %j, nothing written', async (args, field) => {
    const result = await run('keygen', ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^homemail keygen: (--)?${field}\\b`));
    expect(readdirSync(dir).filter((f) => f.startsWith('x'))).toEqual([]);
  });

  it('--json gives the files, public key and fingerprint, never the private key', async () => {
    const result = await run('keygen', '--domain', 'example.test', '--selector', 'ed', '--type', 'ed25519', '--out', 'keys', '--json');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ ok: true, type: 'ed25519', selector: 'ed', domain: 'example.test' });
    expect(String(json.fingerprint)).toMatch(/^SHA256:/);
    expect(result.stdout).not.toMatch(/PRIVATE KEY/);
  });
});

describe('homemail records', () => {
  it('prints a zone with the DKIM record of a key file, SPF, DMARC and MX; notes on stderr', async () => {
    const result = await run(
      'records', '--offline', '--domain', 'example.test', '--dkim', 'k1:keys/k1.private', '--ip', '192.0.2.10', '--mx', 'mail.example.test',
      '--dmarc-policy', 'quarantine', '--rua', 'dmarc@example.test', '--ruf', 'dmarc-f@example.test',
    );
    expect(result.code).toBe(0);
    const p = execFileSync('openssl', ['pkey', '-in', path.join(dir, 'keys', 'k1.private'), '-pubout', '-outform', 'DER']).toString('base64');
    const lines = result.stdout.split('\n');
    const dkim = lines.find((l) => l.startsWith('k1._domainkey.example.test.\t3600\tIN\tTXT\t')) ?? '';
    expect(parseQuotedStrings(dkim.split('\t')[4] ?? '')?.join('')).toBe(`v=DKIM1; h=sha256; k=rsa; p=${p}`);
    expect(lines).toContain('example.test.\t3600\tIN\tTXT\t"v=spf1 ip4:192.0.2.10 ~all"');
    expect(lines).toContain('_dmarc.example.test.\t3600\tIN\tTXT\t"v=DMARC1; p=quarantine; fo=1; rua=mailto:dmarc@example.test; ruf=mailto:dmarc-f@example.test"');
    expect(lines).toContain('example.test.\t3600\tIN\tMX\t10 mail.example.test.');
    expect(result.stdout).not.toMatch(/^(note|warning):/m);
    expect(result.stderr).toMatch(/^warning: The address 192\.0\.2\.10 is not a public address/m);
    expect(result.stderr).toMatch(/^note: Step 2 of 3, p=quarantine/m);
  });

  it('prints a Route 53 change batch that is pure JSON on stdout', async () => {
    const result = await run('records', '--offline', '--domain', 'example.test', '--format', 'route53', '--quiet');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveProperty('Changes');
    expect(result.stderr).toMatch(/^warning: This replaces every TXT value/m);
    expect(result.stderr).not.toMatch(/^note:/m);
  });

  it.each([
    [['--domain', 'example..test'], 'domain'],
    [['--domain', 'example.test', '--ip', '1.2.3.999'], 'ip'],
    [['--domain', 'example.test', '--mx', 'bad host'], 'mx'],
    [['--domain', 'example.test', '--rua', 'nobody'], 'rua'],
    [['--domain', 'example.test', '--ruf', 'x@'], 'ruf'],
    [['--domain', 'example.test', '--dmarc-policy', 'drop'], 'dmarc-policy'],
    [['--domain', 'example.test', '--format', 'bind'], 'format'],
    [['--domain', 'example.test', '--dkim', 'k1'], 'dkim'],
    [['--domain', 'example.test', '--dkim', 'k1:keys/missing.private'], 'dkim'],
    [['--domain', 'example.test', '--dkim', 'ed:keys/ed.private'], 'dkim'],
    [['--domain', 'example.test', '--origin', 'other.test'], 'origin'],
  ])('exit 2 naming the field for %j, nothing on stdout', async (args, field) => {
    const result = await run('records', ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^homemail records: (--)?${field}\\b`));
    expect(result.stdout).toBe('');
  });

  it('an unknown option is a usage error (exit 2)', async () => {
    const result = await run('records', '--domain', 'example.test', '--bogus');
    expect(result.code).toBe(2);
    expect(existsSync(path.join(dir, 'bogus'))).toBe(false);
  });
});
