import { describe, expect, it } from 'vitest';
import { IpAddress } from '../src/model/address.js';
import { AS_CONFED_SEQUENCE, AS_CONFED_SET, AS_SEQUENCE, AS_SET, AsPath } from '../src/model/as-path.js';
import { Prefix } from '../src/model/prefix.js';

describe('IpAddress (the reference test-utils-addr expectations)', () => {
  it('round-trips text', () => {
    for (const text of [
      '192.0.43.8',
      '2001:500:88:200::8',
      '2001:200:0:fe00::6249:0',
      '::',
      '::1',
      'fe80::',
      '1::',
    ]) {
      expect(IpAddress.parse(text).toString()).toBe(text);
    }
  });

  it('prints IPv6 as glibc inet_ntop does', () => {
    expect(IpAddress.parse('2001:db8:0:0:1:0:0:1').toString()).toBe('2001:db8::1:0:0:1');
    expect(IpAddress.parse('2001:7f8:30:0:2:1:0:8447').toString()).toBe('2001:7f8:30:0:2:1:0:8447');
    expect(IpAddress.parse('::ffff:192.168.0.10').toString()).toBe('::ffff:192.168.0.10');
    expect(IpAddress.parse('::ffff:c0a8:a').toString()).toBe('::ffff:192.168.0.10');
  });

  it('masks IPv4 like bgpstream_addr_mask', () => {
    const all = IpAddress.parse('255.255.255.255');
    const cases: [number, string][] = [
      [32, '255.255.255.255'],
      [20, '255.255.240.0'],
      [19, '255.255.224.0'],
      [18, '255.255.192.0'],
      [17, '255.255.128.0'],
      [16, '255.255.0.0'],
      [15, '255.254.0.0'],
      [14, '255.252.0.0'],
      [13, '255.248.0.0'],
      [12, '255.240.0.0'],
      [0, '0.0.0.0'],
    ];
    for (const [len, text] of cases) expect(all.masked(len).toString()).toBe(text);
  });

  it('masks IPv6 like bgpstream_addr_mask', () => {
    const a = IpAddress.parse('1:2:3:89ab:cdef:4:5:6');
    const cases: [number, string][] = [
      [128, '1:2:3:89ab:cdef:4:5:6'],
      [72, '1:2:3:89ab:cd00::'],
      [71, '1:2:3:89ab:cc00::'],
      [70, '1:2:3:89ab:cc00::'],
      [69, '1:2:3:89ab:c800::'],
      [68, '1:2:3:89ab:c000::'],
      [65, '1:2:3:89ab:8000::'],
      [64, '1:2:3:89ab::'],
      [63, '1:2:3:89aa::'],
      [62, '1:2:3:89a8::'],
      [60, '1:2:3:89a0::'],
      [58, '1:2:3:8980::'],
      [56, '1:2:3:8900::'],
      [0, '::'],
    ];
    for (const [len, text] of cases) expect(a.masked(len).toString()).toBe(text);
  });

  it('rejects bad text', () => {
    for (const bad of ['1.2.3', '1.2.3.256', '1::2::3', 'g::1', '', '1.2.3.4.5']) {
      expect(() => IpAddress.parse(bad)).toThrow(/invalid IP address/);
    }
  });
});

describe('Prefix (the reference test-utils-pfx expectations)', () => {
  it('round-trips text and masks host bits', () => {
    expect(Prefix.parse('192.0.43.0/24').toString()).toBe('192.0.43.0/24');
    expect(Prefix.parse('2001:500:88::/48').toString()).toBe('2001:500:88::/48');
    expect(Prefix.parse('2620:110:9004::/40').toString()).toBe('2620:110:9000::/40');
  });

  it('tests containment', () => {
    const has = (a: string, b: string) => Prefix.parse(a).contains(Prefix.parse(b));
    expect(has('130.217.0.0/16', '130.217.250.0/24')).toBe(true);
    expect(has('130.217.250.0/24', '130.217.0.0/16')).toBe(false);
    expect(has('2001:500:88::/48', '2001:500:88:beef::/64')).toBe(true);
    expect(has('2001:48d0:101:501::/64', '2001:48d0:101:501:beef::/96')).toBe(true);
    expect(has('0.0.0.0/0', '2001::/16')).toBe(false);
  });

  it('rejects bad prefixes, naming the problem', () => {
    expect(() => Prefix.parse('10.0.0.0')).toThrow(/address\/length/);
    expect(() => Prefix.parse('10.0.0.0/33')).toThrow(/bad length/);
    expect(() => Prefix.parse('::/129')).toThrow(/bad length/);
    expect(() => Prefix.parse('10.0.0/8')).toThrow(/bad address/);
  });
});

describe('AsPath (the reference test-utils-aspath expectations)', () => {
  const path = new AsPath([
    { type: AS_SEQUENCE, asns: [11, 12, 13, 14] },
    { type: AS_SET, asns: [21, 22, 23] },
    { type: AS_CONFED_SEQUENCE, asns: [31, 32, 33, 34] },
    { type: AS_CONFED_SET, asns: [41, 42, 43] },
    { type: 99, asns: [991, 992] },
  ]);

  it('renders every segment type as BGPStream does', () => {
    expect(path.toString()).toBe('11 12 13 14 {21,22,23} (31 32 33 34) [41,42,43] <991 992>');
  });

  it('counts one segment per sequence ASN', () => {
    expect(path.length).toBe(8);
  });

  it('takes the origin from the last segment, a plain ASN only for the origin ASN', () => {
    expect(new AsPath([{ type: AS_SEQUENCE, asns: [1, 4200000000] }]).originAsn).toBe(4200000000);
    expect(
      new AsPath([
        { type: AS_SEQUENCE, asns: [1] },
        { type: AS_SET, asns: [2, 3] },
      ]).originAsn,
    ).toBeUndefined();
    expect(AsPath.EMPTY.toString()).toBe('');
    expect(AsPath.EMPTY.originSegment).toBeUndefined();
  });
});
