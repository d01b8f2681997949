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
  it.each(['dns.google', '8.8.8.8:0', '8.8.8.8:70000', '1.2.3:53', '[8.8.8.8]:53', '2001:db8::53:5353:1:2:3:4', '', '8.8.8.8;ls'])('refuses %j', (text) => {
    expect(parseResolverAddress(text)).toBeNull();
  });
});
