/**
 * Which command starts, reloads or restarts a service: systemd where it runs (PID 1), else
 * the init script, else `service`. Pure, so the choice is unit-tested without a server.
 */

export type ServiceName = 'opendkim' | 'postfix';
export type ServiceAction = 'start' | 'stop' | 'restart' | 'reload';

export interface ServiceEnvironment {
  systemd: boolean;
  initScripts: { opendkim: boolean; postfix: boolean };
}

export function serviceCommand(env: ServiceEnvironment, service: ServiceName, action: ServiceAction): string[] {
  if (env.systemd) return ['systemctl', action, service];
  if (env.initScripts[service]) return [`/etc/init.d/${service}`, action];
  return ['service', service, action];
}

/** Postfix re-reads main.cf on `postfix reload`; `postfix start` when it was not running. */
export function postfixCommand(env: ServiceEnvironment, action: 'start' | 'reload'): string[] {
  if (env.systemd) return ['systemctl', action === 'start' ? 'start' : 'reload', 'postfix'];
  return ['postfix', action];
}
