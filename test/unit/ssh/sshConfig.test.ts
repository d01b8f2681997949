import { describe, expect, it } from 'vitest';
import { resolveSshConfig } from '../../../main/services/ssh/sshConfig.js';

const config = `

Host mail home-mail
  HostName mail.example.jp
  User admin
  Port 2222
  IdentityFile ~/.ssh/id_mail
  IdentityFile "%d/.ssh/id_%h"

Host *.example.org !bad.example.org
  Port=2200

Match host other
  User ignored

Host *
  ServerAliveInterval 30
  User fallback
`;

describe('~/.ssh/config', () => {
  it('resolves a Host alias with the first value of each option', () => {
    expect(resolveSshConfig(config, 'home-mail', '/home/u')).toEqual({
      hostName: 'mail.example.jp',
      user: 'admin',
      port: 2222,
      identityFiles: ['/home/u/.ssh/id_mail', '/home/u/.ssh/id_mail.example.jp'],
      identitiesOnly: false,
      proxyJump: [],
    });
  });

  it('applies wildcard blocks, honours negation, and ignores Match blocks', () => {
    expect(resolveSshConfig(config, 'a.example.org', '/h')).toMatchObject({ port: 2200, user: 'fallback', hostName: null });
    // the negated name gets only `Host *`; Match blocks never apply
    expect(resolveSshConfig(config, 'bad.example.org', '/h')).toMatchObject({ port: null, user: 'fallback' });
    expect(resolveSshConfig(config, 'other', '/h')).toMatchObject({ user: 'fallback', hostName: null });
  });

  it('reads IdentitiesOnly and ProxyJump (first value wins; none means direct) and expands ~ in IdentityFile', () => {
    const text = ['Host home', '  HostName 192.168.1.10', '  ProxyJump gw.example.jp:2200,admin@second', '  IdentitiesOnly yes', '  IdentityFile ~/.ssh/home_key', 'Host direct', '  ProxyJump none', 'Host *', '  ProxyJump gw.example.jp', '  IdentitiesOnly no'].join('\n');
    expect(resolveSshConfig(text, 'home', '/home/u')).toMatchObject({ hostName: '192.168.1.10', proxyJump: ['gw.example.jp:2200', 'admin@second'], identitiesOnly: true, identityFiles: ['/home/u/.ssh/home_key'] });
    expect(resolveSshConfig(text, 'direct', '/home/u')).toMatchObject({ proxyJump: [], identitiesOnly: false });
    expect(resolveSshConfig(text, 'elsewhere', '/home/u')).toMatchObject({ proxyJump: ['gw.example.jp'] });
  });
});
