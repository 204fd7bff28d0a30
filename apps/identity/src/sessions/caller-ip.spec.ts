import { throttleAddressOf } from './caller-ip';

describe('the address a sign-in is throttled under', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(throttleAddressOf('203.0.113.7')).toBe('203.0.113.7');
  });

  it.each([
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:DB8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:0000:0000:0000:0001', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ])('counts the IPv6 address %s by its /64 (%s)', (ip, network) => {
    expect(throttleAddressOf(ip)).toBe(network);
  });

  it('counts an IPv4-mapped IPv6 address as the IPv4 address it carries', () => {
    expect(throttleAddressOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(throttleAddressOf('::FFFF:203.0.113.7')).toBe('203.0.113.7');
  });

  it('puts anything that is no address under one shared key, so it is still throttled', () => {
    expect(throttleAddressOf('not an address')).toBe('unknown');
    expect(throttleAddressOf('')).toBe('unknown');
    expect(throttleAddressOf('2001:db8:::1')).toBe('unknown');
  });
});
