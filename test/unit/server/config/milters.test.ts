import { describe, expect, it } from 'vitest';
import { splitPostfixList } from '../../../../main/server/config/mainCf.js';
import { mergeMilters, normalizeMilter } from '../../../../main/server/config/milters.js';

describe('milter lists', () => {
  it('splits on commas and whitespace, keeping { } groups whole', () => {
    expect(splitPostfixList('inet:a:1,unix:/x  { inet:b:2, connect_timeout=10s }, $extra')).toEqual([
      'inet:a:1',
      'unix:/x',
      '{ inet:b:2, connect_timeout=10s }',
      '$extra',
    ]);
  });
  it('compares endpoints with loopback names unified', () => {
    expect(normalizeMilter('inet:localhost:8891')).toBe(normalizeMilter('inet:127.0.0.1:8891'));
    expect(normalizeMilter('{ inet:[127.0.0.1]:8891, default_action=accept }')).toBe('inet:loopback:8891');
    expect(normalizeMilter('local:/opendkim/s')).toBe('unix:/opendkim/s');
  });
  it('adds OpenDKIM after other milters when there is no OpenDMARC', () => {
    expect(mergeMilters({ current: 'inet:127.0.0.1:11332', opendkim: 'inet:127.0.0.1:8891' })).toBe('inet:127.0.0.1:11332, inet:127.0.0.1:8891');
    expect(mergeMilters({ current: '', opendkim: 'inet:127.0.0.1:8891' })).toBe('inet:127.0.0.1:8891');
  });
  it('puts OpenDKIM before OpenDMARC and moves it there when it stood after', () => {
    expect(mergeMilters({ current: 'inet:127.0.0.1:11332 inet:127.0.0.1:8893', opendkim: 'inet:127.0.0.1:8891', opendmarc: ['inet:127.0.0.1:8893'] })).toBe(
      'inet:127.0.0.1:11332, inet:127.0.0.1:8891, inet:127.0.0.1:8893',
    );
    expect(mergeMilters({ current: 'inet:127.0.0.1:8893, inet:localhost:8891', opendkim: 'inet:127.0.0.1:8891', opendmarc: ['inet:127.0.0.1:8893'] })).toBe(
      'inet:127.0.0.1:8891, inet:127.0.0.1:8893',
    );
  });
  it('leaves a correct list exactly as written and removes duplicates', () => {
    expect(mergeMilters({ current: 'inet:localhost:8892', opendkim: 'inet:127.0.0.1:8892' })).toBe('inet:localhost:8892');
    expect(mergeMilters({ current: 'inet:127.0.0.1:8891, x, inet:localhost:8891', opendkim: 'inet:127.0.0.1:8891' })).toBe('x, inet:127.0.0.1:8891');
  });
  it('replaces the entry of a former OpenDKIM socket instead of listing OpenDKIM twice', () => {
    expect(mergeMilters({ current: 'unix:/run/opendkim/opendkim.sock, y', opendkim: 'inet:127.0.0.1:8891', formerOpendkim: ['unix:/run/opendkim/opendkim.sock'] })).toBe(
      'y, inet:127.0.0.1:8891',
    );
  });
  it('keeps the settings of a { } group that already points at OpenDKIM', () => {
    const group = '{ inet:127.0.0.1:8891, default_action=tempfail }';
    expect(mergeMilters({ current: `inet:127.0.0.1:8893 ${group}`, opendkim: 'inet:127.0.0.1:8891', opendmarc: ['inet:127.0.0.1:8893'] })).toBe(`${group}, inet:127.0.0.1:8893`);
  });
});
