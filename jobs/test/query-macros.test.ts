import path from 'node:path';
import { IpAddress, Prefix } from '@bgpstream-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LakeConnection } from '../src/query/index.js';
import { buildLake, DEMO_DUMPS, tempDir } from './helpers/lakes.js';
import { rows } from './helpers/values.js';

// The prefix macros on the schema's 16-byte networks, checked against the decoder model's own
// Prefix.contains on edge cases and on seeded random pairs of both families.

let conn: LakeConnection;
let cleanup: () => void = () => {};

beforeAll(async () => {
  const t = tempDir('bgpq-macros-');
  cleanup = t.cleanup;
  const lake = path.join(t.dir, 'lake');
  await buildLake(lake, DEMO_DUMPS);
  conn = await LakeConnection.open(lake);
}, 120_000);

afterAll(() => {
  conn?.close();
  cleanup();
});

/** The schema's encoding of an address: 16 bytes, IPv4 as ::ffff:a.b.c.d. */
function networkHex(a: IpAddress): string {
  const hex = Buffer.from(a.toBytes()).toString('hex');
  return a.family === 4 ? `00000000000000000000ffff${hex}` : hex;
}

function prefixOf(text: string): { family: number; hex: string; length: number; prefix: Prefix } {
  const prefix = Prefix.parse(text);
  return { family: prefix.family, hex: networkHex(prefix.address), length: prefix.length, prefix };
}

/** mulberry32: a seeded generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

describe('ip_network and ip_family', () => {
  it('encode addresses as the schema does (IPv4 mapped, IPv6 as is)', async () => {
    const texts = [
      '0.0.0.0',
      '255.255.255.255',
      '203.0.113.7',
      '10.1.2.3',
      '::',
      '::1',
      '1::',
      '2001:db8::1',
      '2001:DB8:0:0:0:0:0:1',
      '1:2:3:4:5:6:7:8',
      'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
      '::ffff:1.2.3.4',
      '1:2:3:4:5:6:1.2.3.4',
      '1:2:3:4:5:6:7::',
      '::2:3:4:5:6:7:8',
      'fe80::abcd:12',
    ];
    for (const t of texts) {
      const a = IpAddress.parse(t);
      const [row] = rows(
        await conn.query('SELECT lower(hex(ip_network($t))) AS hex, ip_family($t) AS family', { t }),
      );
      expect(row.hex, t).toBe(networkHex(a));
      expect(row.family, t).toBe(t.includes(':') ? 6 : 4);
    }
  });

  it('give NULL for text that is not an address', async () => {
    const bad = [
      '',
      'abc',
      '1.2.3',
      '1.2.3.4.5',
      '256.0.0.1',
      '01.2.3.4',
      '1::2::3',
      ':1',
      '1:',
      '1:2:3:4:5:6:7:8:9',
      '12345::',
      'g::1',
      '1::2:3:4:5:6:7:8',
      'fe80::1%eth0',
      '::1.2.3.256',
      '1.2.3.4/24',
    ];
    for (const t of bad) {
      const [r] = rows(await conn.query('SELECT ip_network($t) AS n, ip_family($t) AS f', { t }));
      expect(r, t).toEqual({ n: null, f: null });
    }
  });
});

describe('covers, covered_by, contains_address', () => {
  const edges: [string, string, boolean][] = [
    ['0.0.0.0/0', '255.255.255.255/32', true],
    ['0.0.0.0/0', '0.0.0.0/0', true],
    ['0.0.0.0/0', '::/0', false],
    ['::/0', '0.0.0.0/0', false],
    ['::/0', '1.2.3.4/32', false],
    ['::/0', 'ffff::/16', true],
    ['::/0', '::/0', true],
    ['128.0.0.0/1', '255.255.255.255/32', true],
    ['0.0.0.0/1', '128.0.0.0/32', false],
    ['10.0.0.0/8', '10.255.255.255/32', true],
    ['10.0.0.0/8', '11.0.0.0/8', false],
    ['10.0.0.0/9', '10.0.0.0/8', false],
    ['1.2.3.4/32', '1.2.3.4/32', true],
    ['1.2.3.4/32', '1.2.3.5/32', false],
    ['1.2.3.4/31', '1.2.3.5/32', true],
    ['203.0.113.0/24', '203.0.113.128/25', true],
    ['203.0.113.128/25', '203.0.113.0/24', false],
    ['2001:db8::/32', '2001:db8:ffff::/48', true],
    ['2001:db8::/32', '2001:db9::/48', false],
    ['2001:db8::1/128', '2001:db8::1/128', true],
    ['2001:db8::/128', '2001:db8::1/128', false],
    ['2001:db8::/127', '2001:db8::1/128', true],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128', true],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/128', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128', false],
    ['8000::/1', 'ffff::/16', true],
    ['8000::/1', '7fff::/16', false],
  ];

  it('agree with Prefix.contains on edge cases (/0, /32, /128, the last bit, mixed families)', async () => {
    for (const [a, b, expected] of edges) {
      const pa = prefixOf(a);
      const pb = prefixOf(b);
      expect(pa.prefix.contains(pb.prefix), `model: ${a} covers ${b}`).toBe(expected);
      const [r] = rows(
        await conn.query(
          `SELECT covers(from_hex($na), $la::UTINYINT, from_hex($nb), $lb::UTINYINT) AS c4,
                  covers($fa::UTINYINT, from_hex($na), $la::UTINYINT, $fb::UTINYINT, from_hex($nb), $lb::UTINYINT) AS c6,
                  covered_by(from_hex($nb), $lb::UTINYINT, from_hex($na), $la::UTINYINT) AS b4,
                  covered_by($fb::UTINYINT, from_hex($nb), $lb::UTINYINT, $fa::UTINYINT, from_hex($na), $la::UTINYINT) AS b6`,
          { na: pa.hex, la: pa.length, fa: pa.family, nb: pb.hex, lb: pb.length, fb: pb.family },
        ),
      );
      expect(r, `${a} covers ${b}`).toEqual({ c4: expected, c6: expected, b4: expected, b6: expected });
    }
  });

  it('4-argument forms read a network in ::ffff:0:0/96 as IPv4; the 6-argument forms are exact', async () => {
    // ::/64 (IPv6) covers the IPv6 prefix ::ffff:0:0/96, whose network is also how IPv4 is encoded.
    const pa = prefixOf('::/64');
    const pb = prefixOf('::ffff:0:0/96');
    expect(pa.prefix.contains(pb.prefix)).toBe(true);
    const [r] = rows(
      await conn.query(
        `SELECT covers(from_hex($na), 64::UTINYINT, from_hex($nb), 96::UTINYINT) AS c4,
                covers(6, from_hex($na), 64::UTINYINT, 6, from_hex($nb), 96::UTINYINT) AS c6`,
        { na: pa.hex, nb: pb.hex },
      ),
    );
    expect(r).toEqual({ c4: false, c6: true });
  });

  it('contains_address on edge cases', async () => {
    const cases: [string, string, boolean][] = [
      ['203.0.113.0/24', '203.0.113.0', true],
      ['203.0.113.0/24', '203.0.113.255', true],
      ['203.0.113.0/24', '203.0.114.0', false],
      ['203.0.113.0/24', '203.0.112.255', false],
      ['0.0.0.0/0', '255.255.255.255', true],
      ['0.0.0.0/0', '::ffff:1.2.3.4', false],
      ['::/0', '1.2.3.4', false],
      ['::/0', '::', true],
      ['::/0', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', true],
      ['1.2.3.4/32', '1.2.3.4', true],
      ['1.2.3.4/32', '1.2.3.5', false],
      ['2001:db8::/128', '2001:db8::', true],
      ['2001:db8::/128', '2001:db8::1', false],
      ['2001:db8::/127', '2001:db8::1', true],
      ['2001:db8::/32', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', true],
      ['2001:db8::/32', '2001:db9::', false],
      ['203.0.113.0/24', 'not an address', false],
    ];
    for (const [p, address, expected] of cases) {
      const pp = prefixOf(p);
      const [r] = rows(
        await conn.query(
          'SELECT coalesce(contains_address($f::UTINYINT, from_hex($n), $l::UTINYINT, $a), false) AS c',
          {
            f: pp.family,
            n: pp.hex,
            l: pp.length,
            a: address,
          },
        ),
      );
      expect(r.c, `${p} contains ${address}`).toBe(expected);
    }
  });

  it('agree with Prefix.contains on 4000 seeded random pairs of both families', async () => {
    const next = rng(20260101);
    const word = () => next();
    const values: string[] = [];
    const expected: { covers: boolean; contains: boolean }[] = [];
    for (let i = 0; i < 4000; i++) {
      const family = i % 2 === 0 ? 4 : 6;
      const bits = family === 4 ? 32 : 128;
      const a = family === 4 ? new IpAddress(4, word()) : new IpAddress(6, word(), word(), word(), word());
      const la = next() % (bits + 1);
      // b shares a's first `shared` bits (often at least la, so that both answers occur)
      const shared = next() % 2 === 0 ? la + (next() % (bits - la + 1)) : next() % (bits + 1);
      const rand = family === 4 ? new IpAddress(4, word()) : new IpAddress(6, word(), word(), word(), word());
      const keep = a.masked(shared);
      const words = [0, 1, 2, 3].map((k) => {
        const w = (family === 4 ? [keep.w0] : [keep.w0, keep.w1, keep.w2, keep.w3])[k] ?? 0;
        const r = (family === 4 ? [rand.w0] : [rand.w0, rand.w1, rand.w2, rand.w3])[k] ?? 0;
        const lo = k * 32;
        const own = Math.max(0, Math.min(32, shared - lo));
        const mask = own === 0 ? 0 : own === 32 ? 0xffffffff : (0xffffffff << (32 - own)) >>> 0;
        return ((w & mask) | (r & ~mask)) >>> 0;
      });
      const mixed = i % 97 === 0; // now and then the other family
      const b =
        mixed && family === 4
          ? new IpAddress(6, words[0], word(), word(), word())
          : family === 4
            ? new IpAddress(4, words[0])
            : new IpAddress(6, words[0], words[1], words[2], words[3]);
      const lb = next() % (b.bitLength + 1);
      const pa = new Prefix(a.masked(la), la);
      const pb = new Prefix(b.masked(lb), lb);
      expected.push({ covers: pa.contains(pb), contains: pa.contains(new Prefix(b, b.bitLength)) });
      values.push(
        `(${i}, ${pa.family}, '${networkHex(pa.address)}', ${la}, ${pb.family}, '${networkHex(pb.address)}', ${lb}, '${b.toString()}')`,
      );
    }
    const result = rows(
      await conn.query(`
        WITH pairs(i, fa, na, la, fb, nb, lb, b) AS (VALUES ${values.join(',\n')})
        SELECT i,
               covers(from_hex(na), la::UTINYINT, from_hex(nb), lb::UTINYINT) AS c4,
               covers(fa, from_hex(na), la::UTINYINT, fb, from_hex(nb), lb::UTINYINT) AS c6,
               covered_by(from_hex(nb), lb::UTINYINT, from_hex(na), la::UTINYINT) AS b4,
               coalesce(contains_address(fa, from_hex(na), la::UTINYINT, b), false) AS ca
        FROM pairs ORDER BY i`),
    );
    expect(result).toHaveLength(4000);
    let covering = 0;
    result.forEach((r, i) => {
      const e = expected[i];
      if (e.covers) covering++;
      expect({ c4: r.c4, c6: r.c6, b4: r.b4, ca: r.ca }, `pair ${values[i]}`).toEqual({
        c4: e.covers,
        c6: e.covers,
        b4: e.covers,
        ca: e.contains,
      });
    });
    expect(covering).toBeGreaterThan(1000);
    expect(covering).toBeLessThan(3500);
  });

  it("agree with the lake's own columns: every prefix_network is ip_network of its prefix and covers itself", async () => {
    const [r] = rows(
      await conn.query(`
        SELECT count(*) AS n,
               count(*) FILTER (WHERE prefix_network IS DISTINCT FROM ip_network(split_part(prefix, '/', 1))) AS bad_network,
               count(*) FILTER (WHERE prefix_family IS DISTINCT FROM ip_family(split_part(prefix, '/', 1))) AS bad_family,
               count(*) FILTER (WHERE NOT covers(prefix_network, prefix_length, prefix_network, prefix_length)) AS not_self
        FROM elems WHERE prefix IS NOT NULL`),
    );
    expect(r.n).toBeGreaterThan(6000);
    expect(r).toMatchObject({ bad_network: 0, bad_family: 0, not_self: 0 });
  });

  it('find the more specifics of a prefix in the lake, as Prefix.contains does', async () => {
    const all = rows(await conn.query('SELECT DISTINCT prefix FROM elems WHERE prefix IS NOT NULL'));
    for (const outer of ['203.0.113.0/24', '10.0.0.0/8', '2001:db8::/32', '0.0.0.0/0', '::/0']) {
      const p = prefixOf(outer);
      const expected = all
        .map((r) => r.prefix as string)
        .filter((t) => p.prefix.contains(Prefix.parse(t)))
        .sort();
      const got = rows(
        await conn.query(
          `SELECT DISTINCT prefix FROM elems
           WHERE covered_by(prefix_family, prefix_network, prefix_length, $f::UTINYINT, from_hex($n), $l::UTINYINT)
           ORDER BY prefix`,
          { f: p.family, n: p.hex, l: p.length },
        ),
      ).map((r) => r.prefix);
      expect(got, outer).toEqual(expected);
      if (outer !== '203.0.113.0/24') expect(got.length, outer).toBeGreaterThan(0);
    }
  });
});
