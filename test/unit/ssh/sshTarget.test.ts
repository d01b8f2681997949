import { describe, expect, it } from 'vitest';
import { formatSshTarget, parseSshTarget } from '../../../shared/validation/sshTarget.js';

describe('parseSshTarget', () => {
  it.each([
    ['admin@mail.example.jp:2222', { user: 'admin', host: 'mail.example.jp', port: 2222 }],
    ['mail.example.jp', { user: null, host: 'mail.example.jp', port: null }],
    ['root@192.0.2.10', { user: 'root', host: '192.0.2.10', port: null }],
    ['admin@[2001:db8::1]:22', { user: 'admin', host: '2001:db8::1', port: 22 }],
    ['[::1]', { user: null, host: '::1', port: null }],
    ['fe80::1', { user: null, host: 'fe80::1', port: null }],
    ['myalias', { user: null, host: 'myalias', port: null }],
    ['deploy@127.0.0.1:65535', { user: 'deploy', host: '127.0.0.1', port: 65535 }],
  ])('reads %s', (text, expected) => {
    expect(parseSshTarget(text)).toEqual(expected);
  });

  it.each(['host;cmd', '@host', 'admin@host:0', 'admin@host:70000', 'admin@ho st', ' ', '', 'admin@host:', 'a$(id)@host', 'admin@-host', 'admin@[2001:db8::1', 'admin@host:22x', 'admin@host\n', 'admin@[nothost]:22'])(
    'refuses %j as bad input',
    (text) => {
      expect(() => parseSshTarget(text)).toThrow(expect.objectContaining({ code: 'bad-input' }));
    },
  );

  it('formats back with IPv6 brackets', () => {
    expect(formatSshTarget({ user: 'a', host: '2001:db8::1', port: 2222 })).toBe('a@[2001:db8::1]:2222');
  });
});
