import { describe, expect, it } from 'vitest';
import { expandReferences, getParameter, readMainCf, setParameters } from '../../../../main/server/config/mainCf.js';
import { REFERENCE_CASES } from './referenceCases.js';

const SAMPLE = [
  '# See /usr/share/postfix/main.cf.dist',
  'smtpd_banner = $myhostname ESMTP',
  'smtpd_milters = inet:127.0.0.1:11332,',
  '# a comment inside the list',
  '    inet:127.0.0.1:8893',
  'relayhost = ',
  'mynetworks=127.0.0.0/8 [::1]/128',
  'smtpd_client_restrictions = permit_mynetworks,',
  '\treject_rbl_client bl.spamcop.net,  # not a comment in main.cf',
  '\tpermit',
  '',
].join('\n');

describe('reading main.cf like postconf', () => {
  it('joins continuation lines and skips comment lines inside them', () => {
    expect(getParameter(SAMPLE, 'smtpd_milters')).toBe('inet:127.0.0.1:11332, inet:127.0.0.1:8893');
  });
  it('keeps # after text as part of the value, reads name=value without spaces', () => {
    expect(getParameter(SAMPLE, 'smtpd_client_restrictions')).toBe('permit_mynetworks, reject_rbl_client bl.spamcop.net,  # not a comment in main.cf permit');
    expect(getParameter(SAMPLE, 'mynetworks')).toBe('127.0.0.0/8 [::1]/128');
    expect(getParameter(SAMPLE, 'relayhost')).toBe('');
  });
  it('lets the last assignment win', () => {
    expect(readMainCf('a = 1\nb = 2\na = 3\n').get('a')).toBe('3');
  });
});

describe('editing main.cf like postconf -e', () => {
  it('replaces a continued entry with one line and keeps the comment that sat inside it', () => {
    const out = setParameters(SAMPLE, [{ name: 'smtpd_milters', value: 'inet:127.0.0.1:11332, inet:127.0.0.1:8891' }]);
    expect(out).toBe(
      [
        '# See /usr/share/postfix/main.cf.dist',
        'smtpd_banner = $myhostname ESMTP',
        'smtpd_milters = inet:127.0.0.1:11332, inet:127.0.0.1:8891',
        '# a comment inside the list',
        'relayhost = ',
        'mynetworks=127.0.0.0/8 [::1]/128',
        'smtpd_client_restrictions = permit_mynetworks,',
        '\treject_rbl_client bl.spamcop.net,  # not a comment in main.cf',
        '\tpermit',
        '',
      ].join('\n'),
    );
  });
  it('appends new names at the end in the order given and keeps everything else byte for byte', () => {
    const out = setParameters(SAMPLE, [
      { name: 'non_smtpd_milters', value: 'inet:127.0.0.1:8891' },
      { name: 'milter_protocol', value: '6' },
    ]);
    expect(out.startsWith(SAMPLE)).toBe(true);
    expect(out.slice(SAMPLE.length)).toBe('non_smtpd_milters = inet:127.0.0.1:8891\nmilter_protocol = 6\n');
  });
  it('rewrites every duplicate assignment of an edited name, as postconf does', () => {
    expect(setParameters('a = 1\nb = 2\na = 3\n', [{ name: 'a', value: 'x' }])).toBe('a = x\nb = 2\na = x\n');
  });
  it('matches name=value lines and adds the missing final newline', () => {
    expect(setParameters('mynetworks=1.2.3.4', [{ name: 'mynetworks', value: '5.6.7.8' }])).toBe('mynetworks = 5.6.7.8\n');
    expect(setParameters('x = 1', [{ name: 'y', value: '2' }])).toBe('x = 1\ny = 2\n');
  });
  it('does not confuse a name with a longer one that starts the same', () => {
    expect(setParameters('smtpd_milters_x = 1\n', [{ name: 'smtpd_milters', value: 'a' }])).toBe('smtpd_milters_x = 1\nsmtpd_milters = a\n');
  });
  it('refuses names and values that would break the file', () => {
    expect(() => setParameters('', [{ name: 'a b', value: '1' }])).toThrow();
    expect(() => setParameters('', [{ name: 'a', value: '1\nb = 2' }])).toThrow();
  });
});

describe('expanding $name references like postconf -x', () => {
  it.each(REFERENCE_CASES)('%s', (value, settings, expanded) => {
    expect(expandReferences(value, (name) => settings[name])).toBe(expanded);
  });

  it('stops on a reference loop instead of running forever', () => {
    expect(expandReferences('$a', (name) => (name === 'a' ? '$a' : undefined))).toBe('$a');
  });
});

