import type { LoginMethod, WizardValues } from './state.js';

/**
 * Server profiles, so a person can come back later and carry on: kept in the page's
 * localStorage (the desktop window's storage in Electron, the browser's in web mode).
 * Never a secret: no password, no passphrase, no private key, no session id. The key
 * file's path is kept (a path, not the key).
 */
export interface ServerProfile {
  sshTarget: string;
  loginMethod: LoginMethod;
  keyPath: string;
  domain: string;
  selector: string;
  dmarcPolicy: WizardValues['dmarcPolicy'];
  rua: string;
  resolvers: string;
  savedAt: string;
}

const STORAGE_KEY = 'homemail.profiles';
const MAX_PROFILES = 10;

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function isProfile(value: unknown): value is ServerProfile {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  return typeof p.sshTarget === 'string' && (p.loginMethod === 'key' || p.loginMethod === 'agent' || p.loginMethod === 'password') && typeof p.keyPath === 'string';
}

export function loadProfiles(): ServerProfile[] {
  const raw = storage()?.getItem(STORAGE_KEY);
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter(isProfile) : [];
  } catch {
    return [];
  }
}

/** Only the listed, non-secret fields are written, whatever else `values` holds. */
export function profileOf(values: WizardValues, now: Date): ServerProfile {
  return {
    sshTarget: values.sshTarget.trim(),
    loginMethod: values.loginMethod,
    keyPath: values.loginMethod === 'key' ? values.keyPath : '',
    domain: values.domain,
    selector: values.selector,
    dmarcPolicy: values.dmarcPolicy,
    rua: values.rua,
    resolvers: values.resolvers,
    savedAt: now.toISOString(),
  };
}

export function saveProfile(profile: ServerProfile): void {
  const others = loadProfiles().filter((p) => p.sshTarget !== profile.sshTarget);
  try {
    storage()?.setItem(STORAGE_KEY, JSON.stringify([profile, ...others].slice(0, MAX_PROFILES)));
  } catch {
    // storage full or disabled: resuming is a convenience, the wizard works without it
  }
}

export function forgetProfile(sshTarget: string): void {
  try {
    storage()?.setItem(STORAGE_KEY, JSON.stringify(loadProfiles().filter((p) => p.sshTarget !== sshTarget)));
  } catch {
    // see saveProfile
  }
}

/** The wizard values a saved profile restores. */
export function valuesFromProfile(profile: ServerProfile): Partial<WizardValues> {
  return {
    sshTarget: profile.sshTarget,
    loginMethod: profile.loginMethod,
    keyPath: profile.keyPath,
    domain: profile.domain,
    selector: profile.selector,
    dmarcPolicy: profile.dmarcPolicy,
    rua: profile.rua,
    resolvers: profile.resolvers,
  };
}
