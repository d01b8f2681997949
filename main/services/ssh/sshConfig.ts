import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expandHome } from './paths.js';

/** What Homemail takes from ~/.ssh/config for a Host alias (first value wins, as in OpenSSH). */
export interface SshConfigHost {
  hostName: string | null;
  user: string | null;
  port: number | null;
  identityFiles: string[];
  /** IdentitiesOnly yes: only the identity files (and agent keys matching them) are offered. */
  identitiesOnly: boolean;
  /** ProxyJump hops in order (`none` and absent: empty). */
  proxyJump: string[];
}

interface Block {
  patterns: string[] | null;
  options: Array<[string, string]>;
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

function parseBlocks(text: string): Block[] {
  const blocks: Block[] = [{ patterns: ['*'], options: [] }];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
    if (!match) continue;
    const keyword = (match[1] ?? '').toLowerCase();
    const value = (match[2] ?? '').trim();
    if (keyword === 'host') blocks.push({ patterns: value.split(/\s+/).map(unquote), options: [] });
    // Match blocks need conditions we cannot evaluate here: their options are ignored.
    else if (keyword === 'match') blocks.push({ patterns: null, options: [] });
    else blocks[blocks.length - 1]?.options.push([keyword, unquote(value)]);
  }
  return blocks;
}

function patternMatches(patterns: readonly string[], alias: string): boolean {
  let matched = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    const body = negated ? pattern.slice(1) : pattern;
    const regex = new RegExp(`^${body.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.')}$`, 'i');
    if (regex.test(alias)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

function expandPath(value: string, home: string, alias: string, hostName: string, user: string | null): string {
  let out = expandHome(value, home);
  out = out.replace(/%([%dhnru])/g, (_all, token: string) => {
    if (token === '%') return '%';
    if (token === 'd') return home;
    if (token === 'h') return hostName;
    if (token === 'n') return alias;
    return user ?? os.userInfo().username;
  });
  return out;
}

/**
 * Resolves a name through a config text: every matching Host block applies (`Host *`
 * included), and the first value of each option wins, as in OpenSSH.
 */
export function resolveSshConfig(text: string, alias: string, home = os.homedir()): SshConfigHost {
  const result: SshConfigHost = { hostName: null, user: null, port: null, identityFiles: [], identitiesOnly: false, proxyJump: [] };
  let identitiesOnly: boolean | null = null;
  let proxyJump: string[] | null = null;
  for (const block of parseBlocks(text)) {
    if (block.patterns === null || !patternMatches(block.patterns, alias)) continue;
    for (const [keyword, value] of block.options) {
      if (keyword === 'hostname' && result.hostName === null) result.hostName = value.replaceAll('%h', alias);
      else if (keyword === 'user' && result.user === null) result.user = value;
      else if (keyword === 'port' && result.port === null && /^\d{1,5}$/.test(value) && Number(value) >= 1 && Number(value) <= 65535) result.port = Number(value);
      else if (keyword === 'identityfile') result.identityFiles.push(value);
      else if (keyword === 'identitiesonly' && identitiesOnly === null) identitiesOnly = /^(yes|true)$/i.test(value);
      else if (keyword === 'proxyjump' && proxyJump === null) proxyJump = value.toLowerCase() === 'none' ? [] : value.split(',').map((hop) => hop.trim()).filter((hop) => hop !== '');
    }
  }
  const hostName = result.hostName ?? alias;
  result.identityFiles = result.identityFiles.map((file) => expandPath(file, home, alias, hostName, result.user));
  result.identitiesOnly = identitiesOnly ?? false;
  result.proxyJump = proxyJump ?? [];
  return result;
}

/** ~/.ssh/config applied to a name; null when there is no such file. */
export async function readSshConfigFor(alias: string, home = os.homedir()): Promise<SshConfigHost | null> {
  let text: string;
  try {
    text = await readFile(path.join(home, '.ssh', 'config'), 'utf8');
  } catch {
    return null;
  }
  return resolveSshConfig(text, alias, home);
}
