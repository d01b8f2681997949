// The discovery script with MX names that a hostile DNS zone can serve: run by the real sh
// with stand-in postconf/dig/hostname (this tests the shell's quoting, not DNS), in a folder
// with files a glob would find.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportsDiscoverScript as DISCOVER_SCRIPT } from '../../../main/server/scripts/index.js';

describe('the discovery script', () => {
  it('passes each MX name to dig as one quoted word: no globbing, no splitting, no substitution', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hm-mx-'));
    const bin = path.join(dir, 'bin');
    const cwd = path.join(dir, 'cwd');
    const log = path.join(dir, 'dig.log');
    execFileSync('mkdir', ['-p', bin, cwd]);
    for (const name of ['secret-file', 'other-file']) writeFileSync(path.join(cwd, name), '');
    const stub = (name: string, body: string) => {
      writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`);
      chmodSync(path.join(bin, name), 0o755);
    };
    stub('postconf', 'echo example.test');
    stub('hostname', 'echo 192.0.2.1');
    // MX answers a hostile zone can serve: a wildcard, a name with a space, a command substitution.
    const hostile = ['10 *', '20 two words.', '30 `touch${IFS}pwned`.'].join('\\n');
    stub('dig', ['for a; do prev=$type; type=$a; last=$a; done', `printf '%s|%s\\n' "$prev" "$last" >> '${log}'`, `if [ "$prev" = MX ]; then printf '${hostile}\\n'; fi`].join('\n'));
    const out = execFileSync('sh', ['-c', DISCOVER_SCRIPT, 'homemail-reports', 'TOK', 'example.test'], { cwd, env: { PATH: `${bin}:/usr/bin:/bin` }, encoding: 'utf8' });
    expect(out).toContain('TOK end');
    const asked = readFileSync(log, 'utf8').trim().split('\n').filter((l) => l.startsWith('A|')).map((l) => l.slice(2));
    expect(asked).toEqual(['example.test', '*', 'two', '`touch${IFS}pwned`.']);
    expect(() => readFileSync(path.join(cwd, 'pwned'))).toThrow();
  });
});
