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
    });
  });

  it('applies wildcard blocks, honours negation, and ignores Match blocks', () => {
    expect(resolveSshConfig(config, 'a.example.org', '/h')).toMatchObject({ port: 2200, user: 'fallback', hostName: null });
    expect(resolveSshConfig(config, 'bad.example.org', '/h')).toBeNull();
    expect(resolveSshConfig(config, 'other', '/h')).toBeNull();
  });
});
