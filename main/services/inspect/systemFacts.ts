import type { PackageManager, ServerAddress, ServiceManager } from '../../../shared/inspection.js';
import { own } from '../../../shared/dictionary.js';

export function packageManagerFrom(command: string): PackageManager | null {
  const map: Record<string, PackageManager> = { 'apt-get': 'apt', dnf: 'dnf', yum: 'yum', zypper: 'zypper', apk: 'apk', pacman: 'pacman' };
  return own(map, command) ?? null;
}

export function serviceManagerFrom(value: string): ServiceManager {
  return value === 'systemd' || value === 'openrc' || value === 'sysvinit' ? value : 'unknown';
}

export function addressScope(family: 'inet' | 'inet6', address: string): ServerAddress['scope'] {
  const a = address.toLowerCase();
  if (family === 'inet') {
    if (a.startsWith('127.')) return 'loopback';
    if (a.startsWith('169.254.')) return 'link-local';
    const [x = 0, y = 0] = a.split('.').map(Number);
    if (x === 10 || (x === 172 && y >= 16 && y <= 31) || (x === 192 && y === 168) || (x === 100 && y >= 64 && y <= 127)) return 'private';
    return 'global';
  }
  if (a === '::1') return 'loopback';
  if (/^fe[89ab]/.test(a)) return 'link-local';
  if (/^f[cd]/.test(a)) return 'private';
  return 'global';
}

/** `ip -o addr show` lines; falls back to `hostname -I` (no interface names). */
export function parseAddresses(ipOutput: string, hostnameI: string): ServerAddress[] {
  const found: ServerAddress[] = [];
  for (const line of ipOutput.split(/\r?\n/)) {
    const match = /^\d+:\s+(\S+)\s+(inet6?)\s+([0-9A-Fa-f:.]+)\/(\d+)/.exec(line);
    if (!match) continue;
    const family = match[2] as 'inet' | 'inet6';
    const address = match[3] ?? '';
    found.push({ interface: match[1] ?? '', family, address, prefixLength: Number(match[4]), scope: addressScope(family, address) });
  }
  if (found.length > 0) return found;
  return hostnameI
    .split(/\s+/)
    .filter((a) => a !== '')
    .map((address) => {
      const family = address.includes(':') ? 'inet6' : 'inet';
      return { interface: '', family, address, prefixLength: null, scope: addressScope(family, address) };
    });
}
