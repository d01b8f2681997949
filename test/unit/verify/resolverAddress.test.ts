import { describe, expect, it } from 'vitest';
import { formatResolverAddress, parseResolverAddress } from '../../../shared/verify/resolverAddress.js';

describe('--resolver ADDR[:PORT]', () => {
  it.each([
    ['8.8.8.8', { address: '8.8.8.8', port: 53, family: 4 }],
    ['127.53.0.1:5353', { address: '127.53.0.1', port: 5353, family: 4 }],
    ['2001:db8::53', { address: '2001:db8::53', port: 53, family: 6 }],
    ['[2001:db8::53]:5353', { address: '2001:db8::53', port: 5353, family: 6 }],
    ['[::1]', { address: '::1', port: 53, family: 6 }],
  ])('accepts %s', (text, expected) => {
    expect(parseResolverAddress(text)).toEqual(expected);
    expect(parseResolverAddress(formatResolverAddress(expected as never))).toEqual(expected);
  });
  it.each(['dns.google', '8.8.8.8:0', '8.8.8.8:70000', '1.2.3:53', '[8.8.8.8]:53', '2001:db8::53:5353:1:2:3:4', '', '8.8.8.8;ls', '8.8.8.8:', '08.8.8.8', '8.8.8.8/32', 'fe80::1%eth0', '[2001:db8::53]:'])('refuses %j', (text) => {
    expect(parseResolverAddress(text)).toBeNull();
  });
  // As every validator in shared/validation: a control character anywhere refuses the value
  // (it is not trimmed away first); only plain spaces around the value are.
  it.each(['8.8.8.8\n', '\n8.8.8.8', '8.8.8.8\r', '\t8.8.8.8', '8.8.8.8:53\n', '[2001:db8::53]\u0000', '2001:db8::53\u2028', '8.8.8.8\u0085', '\u001b[2J8.8.8.8'])('refuses a control character: %j', (text) => {
    expect(parseResolverAddress(text)).toBeNull();
  });
  it.each(['8.8.8.8 :53', '8.8.8.8: 53', '[2001:db8::53] :53', '2001:db8:: 53'])('refuses whitespace inside: %j', (text) => {
    expect(parseResolverAddress(text)).toBeNull();
  });
  it('trims plain spaces around the value, like the other validators, and writes IPv6 in its canonical form', () => {
    expect(parseResolverAddress(' 8.8.8.8:5353 ')).toEqual({ address: '8.8.8.8', port: 5353, family: 4 });
    expect(parseResolverAddress('[2001:DB8:0::53]:5353')).toEqual({ address: '2001:db8::53', port: 5353, family: 6 });
  });
});
