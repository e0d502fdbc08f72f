/**
 * BMP (RFC 7854 / 8671 / 9069) and OpenBMP v1.7: records and elems from fixtures built by the
 * project's BMP encoder, the real FRR captures in ../shared/bmp-samples, and seeded mutations.
 *
 * Fuzz replay: BMP_FUZZ_SEED=<n> BMP_FUZZ_CASES=<n>.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DecodeOutput } from '../src/bgp/decode-output.js';
import { frameBgpMessage } from '../src/bgp/message.js';
import { updateToElems } from '../src/bgp/update.js';
import { decodeBgpOpen } from '../src/bmp/bgp-open.js';
import {
  type BmpPeerInput,
  bmpTerminationReason,
  encodeBmpInitiation,
  encodeBmpMessage,
  encodeBmpPeerDown,
  encodeBmpPeerUp,
  encodeBmpRouteMirroring,
  encodeBmpRouteMonitoring,
  encodeBmpStatsReport,
  encodeBmpTermination,
  encodeOpenBmpMessage,
} from '../src/bmp/encode.js';
import {
  BMP_PEER_UP,
  BmpReader,
  type BmpReaderOptions,
  BmpSession,
  bmpMessageToRecords,
  bmpRecordInfo,
  decodeBmpMessage,
  readBmpBatches,
} from '../src/bmp/index.js';
import {
  AS_TRANS,
  addPathCapability,
  encodeKeepaliveMessage,
  encodeNotificationMessage,
  encodeOpenMessage,
  encodeUpdateMessage,
  fourOctetAsCapability,
  multiprotocolCapability,
} from '../src/encode/index.js';
import { IpAddress } from '../src/model/address.js';
import { AS_SEQUENCE, AS_SET, AsPath } from '../src/model/as-path.js';
import type { Elem } from '../src/model/elem.js';
import { PathAttributes } from '../src/model/path-attributes.js';
import { Prefix } from '../src/model/prefix.js';
import type { BgpRecord, RecordSource, RecordStatus } from '../src/model/record.js';
import { openResource } from '../src/stream/open-resource.js';
import { deriveSeed, Prng } from './helpers/prng.js';
import { repoRoot } from './helpers/samples.js';

const ip = (text: string) => IpAddress.parse(text);
const pfx = (text: string) => Prefix.parse(text);

const SOURCE: RecordSource = {
  project: 'lab',
  collector: 'bmp-station',
  type: 'update',
  dumpTime: 1_700_000_000,
};
const ROUTER_AS = 65000;
const ROUTER_ID = ip('192.0.2.254');
const T0 = 1_700_000_100;

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function attrs(asns: number[], init: Partial<PathAttributes> = {}): PathAttributes {
  return Object.assign(new PathAttributes(), {
    origin: 0,
    asPath: new AsPath([{ type: AS_SEQUENCE, asns }]),
    nextHop: ip('192.0.2.1'),
    ...init,
  });
}

/** OPENs of a session between the router (AS 65000) and a peer, with the capabilities each side sent. */
function opens(
  peerAsn: number,
  peerId: IpAddress,
  o: { routerAs4?: boolean; peerAs4?: boolean; routerAddPath?: 1 | 2 | 3; peerAddPath?: 1 | 2 | 3 } = {},
) {
  const caps = (as4: boolean, asn: number, addPath: 1 | 2 | 3 | undefined) => [
    multiprotocolCapability(1, 1),
    multiprotocolCapability(2, 1),
    ...(as4 ? [fourOctetAsCapability(asn)] : []),
    ...(addPath ? [addPathCapability(1, 1, addPath), addPathCapability(2, 1, addPath)] : []),
  ];
  return {
    sentOpen: encodeOpenMessage({
      asn: ROUTER_AS,
      bgpId: ROUTER_ID,
      capabilities: caps(o.routerAs4 ?? true, ROUTER_AS, o.routerAddPath),
    }),
    receivedOpen: encodeOpenMessage({
      asn: o.peerAs4 === false && peerAsn > 0xffff ? AS_TRANS : peerAsn,
      bgpId: peerId,
      capabilities: caps(o.peerAs4 ?? true, peerAsn, o.peerAddPath),
    }),
  };
}

function read(
  data: Uint8Array,
  options: BmpReaderOptions = {},
  chunkSizes?: (i: number) => number,
): {
  records: BgpRecord[];
  reader: BmpReader;
} {
  const reader = new BmpReader({ source: SOURCE, ...options });
  const records: BgpRecord[] = [];
  if (!chunkSizes) records.push(...reader.push(data));
  else {
    for (let off = 0, i = 0; off < data.length; i++) {
      const n = Math.max(1, chunkSizes(i));
      records.push(...reader.push(data.slice(off, off + n)));
      off += n;
    }
  }
  records.push(...reader.finish());
  return { records, reader };
}

function elemLine(e: Elem): string {
  return [
    e.type,
    e.timeSec,
    e.timeUsec,
    e.peerAddress?.toString() ?? '',
    e.peerAsn,
    e.prefix?.toString() ?? '',
    e.pathId ?? '',
    e.nextHop?.toString() ?? '',
    e.asPath.toString(),
    e.attributes?.communitiesString() ?? '',
    e.oldState,
    e.newState,
    e.origTimeSec,
  ].join('|');
}

function signature(records: readonly BgpRecord[]): string[] {
  const out: string[] = [];
  for (const r of records) {
    out.push(
      [
        r.status,
        r.timeSec,
        r.timeUsec,
        r.dumpPosition,
        r.project,
        r.collector,
        r.router,
        r.routerIp?.toString() ?? '',
        r.error ?? '',
        r.raw?.length ?? -1,
      ].join('|'),
    );
    for (const e of r.elems) out.push(`  ${elemLine(e)}`);
  }
  return out;
}

// ---------------------------------------------------------------- fixtures

const P1: BmpPeerInput = {
  address: ip('192.0.2.1'),
  asn: 4_200_000_001, // above 2^31
  bgpId: ip('192.0.2.1'),
  timeSec: T0,
  timeUsec: 250_000,
};
const P1_OPENS = opens(P1.asn, P1.bgpId);

/** A whole raw BMP session: initiation, peer up, route monitoring (pre and post policy), stats, peer down, termination. */
function session1(): { bytes: Uint8Array; parts: Record<string, Uint8Array> } {
  const parts = {
    initiation: encodeBmpInitiation([
      { type: 1, value: 'TestOS 1.0' },
      { type: 2, value: 'r1.lab' },
      { type: 0, value: 'hello' },
    ]),
    peerUp: encodeBmpPeerUp({
      peer: P1,
      localAddress: ip('192.0.2.254'),
      localPort: 179,
      remotePort: 40000,
      ...P1_OPENS,
      information: [{ type: 0, value: 'peer one' }],
    }),
    announcePre: encodeBmpRouteMonitoring(
      { ...P1, timeSec: T0 + 1, timeUsec: 1 },
      encodeUpdateMessage({
        announced: [pfx('10.0.0.0/8'), pfx('10.1.0.0/16')],
        attributes: attrs([4_200_000_001, 65001], { communities: [((65001 << 16) | 7) >>> 0] }),
        as4: true,
      }),
    ),
    announcePost: encodeBmpRouteMonitoring(
      { ...P1, postPolicy: true, timeSec: T0 + 2, timeUsec: 2 },
      encodeUpdateMessage({
        announced: [pfx('10.0.0.0/8')],
        attributes: attrs([4_200_000_001, 65001]),
        as4: true,
      }),
    ),
    withdraw: encodeBmpRouteMonitoring(
      { ...P1, timeSec: T0 + 3, timeUsec: 3 },
      encodeUpdateMessage({ withdrawn: [pfx('10.1.0.0/16')], as4: true }),
    ),
    stats: encodeBmpStatsReport({ ...P1, timeSec: T0 + 4 }, [
      { type: 0, counter: 5 },
      { type: 7, gauge: 2n ** 40n },
      { type: 9, afi: 2, safi: 1, gauge: 12 },
      { type: 65531, counter: 9 },
    ]),
    peerDown: encodeBmpPeerDown({
      peer: { ...P1, timeSec: T0 + 5, timeUsec: 5 },
      reason: 3,
      notification: encodeNotificationMessage({ code: 6, subcode: 2 }),
    }),
    termination: encodeBmpTermination([{ type: 0, value: 'bye' }, bmpTerminationReason(0)]),
  };
  return { bytes: concat(Object.values(parts)), parts };
}

describe('BMP records from encoder-built messages', () => {
  const { bytes, parts } = session1();

  it('keeps route monitoring UPDATEs, peer up and peer down, as BGPStream does', () => {
    const { records, reader } = read(bytes);
    expect(records.map((r) => r.elems.map((e) => e.type).join(''))).toEqual(['S', 'AA', 'A', 'W', 'S']);
    expect(records.map((r) => r.status)).toEqual(Array(5).fill('valid'));
    expect(records.map((r) => r.dumpPosition)).toEqual(['middle', 'middle', 'middle', 'middle', 'end']);
    expect(reader.stats.messages).toEqual({
      'route-monitoring': 3,
      'stats-report': 1,
      'peer-down': 1,
      'peer-up': 1,
      initiation: 1,
      termination: 1,
      'route-mirroring': 0,
    });
    expect(reader.stats.skippedMessages).toBe(3);
    expect(reader.stats.corruptedRecords).toBe(0);

    const [up, pre, post, wd, down] = records;
    for (const r of records) {
      expect(r.project).toBe('lab');
      expect(r.collector).toBe('bmp-station');
      expect(r.type).toBe('update');
      expect(r.dumpTime).toBe(SOURCE.dumpTime);
      expect(r.router).toBe('r1.lab'); // the Initiation's sysName
      expect(r.routerIp).toBeNull();
      expect(r.mrtType).toBe(0);
    }
    // Peer up: UNKNOWN -> ACTIVE (the reference's choice), time from the per-peer header.
    expect([up.timeSec, up.timeUsec]).toEqual([T0, 250_000]);
    const s = up.elems[0];
    expect([s.type, s.oldState, s.newState, s.peerAddress?.toString(), s.peerAsn, s.origTimeSec]).toEqual([
      'S',
      0,
      3,
      '192.0.2.1',
      4_200_000_001,
      T0,
    ]);
    expect(s.fields).toEqual({ 'old-state': '', 'new-state': 'ACTIVE' });
    expect(up.raw).toEqual(parts.peerUp);

    expect([pre.timeSec, pre.timeUsec]).toEqual([T0 + 1, 1]);
    expect(pre.elems.map(elemLine)).toEqual([
      `A|${T0 + 1}|1|192.0.2.1|4200000001|10.0.0.0/8||192.0.2.1|4200000001 65001|65001:7|0|0|${T0 + 1}`,
      `A|${T0 + 1}|1|192.0.2.1|4200000001|10.1.0.0/16||192.0.2.1|4200000001 65001|65001:7|0|0|${T0 + 1}`,
    ]);
    expect(pre.elems[0].originAsn).toBe(65001);
    expect(post.elems.map(elemLine)).toEqual([
      `A|${T0 + 2}|2|192.0.2.1|4200000001|10.0.0.0/8||192.0.2.1|4200000001 65001||0|0|${T0 + 2}`,
    ]);
    expect(wd.elems.map(elemLine)).toEqual([
      `W|${T0 + 3}|3|192.0.2.1|4200000001|10.1.0.0/16|||||0|0|${T0 + 3}`,
    ]);
    expect(down.elems.map((e) => [e.type, e.oldState, e.newState, e.peerAsn])).toEqual([
      ['S', 0, 1, 4_200_000_001],
    ]);
    expect([down.timeSec, down.timeUsec]).toEqual([T0 + 5, 5]);
  });

  it('tells pre-policy from post-policy through the low-level API', () => {
    const { records } = read(bytes);
    const ribs = records.map((r) => bmpRecordInfo(r)?.message.peer?.rib);
    expect(ribs).toEqual([
      'adj-rib-in-pre-policy',
      'adj-rib-in-pre-policy',
      'adj-rib-in-post-policy',
      'adj-rib-in-pre-policy',
      'adj-rib-in-pre-policy',
    ]);
    expect(records.map((r) => bmpRecordInfo(r)?.message.peer?.postPolicy)).toEqual([
      false,
      false,
      true,
      false,
      false,
    ]);
    const m = decodeBmpMessage(parts.announcePost, 0, parts.announcePost.length);
    expect(m.kind).toBe('route-monitoring');
    expect(m.peer).toMatchObject({
      peerType: 0,
      flags: 0x40,
      ipv6: false,
      postPolicy: true,
      asPath2Byte: false,
      adjRibOut: false,
      distinguisher: '0000000000000000',
      asn: 4_200_000_001,
      timeSec: T0 + 2,
      timeUsec: 2,
    });
    expect(m.peer?.bgpId.toString()).toBe('192.0.2.1');
    expect(m.length).toBe(parts.announcePost.length);

    const out = encodeBmpRouteMonitoring(
      { ...P1, adjRibOut: true, postPolicy: true, peerType: 1, distinguisher: 0x0001_0002_0000_0003n },
      encodeKeepaliveMessage(),
    );
    const o = decodeBmpMessage(out, 0, out.length);
    expect(o.peer).toMatchObject({
      rib: 'adj-rib-out-post-policy',
      peerType: 1,
      distinguisher: '0001000200000003',
    });
    expect(o.kind === 'route-monitoring' && o.bgpType).toBe(4);
    const loc = encodeBmpRouteMonitoring(
      {
        peerType: 3,
        locRibFiltered: true,
        address: ip('0.0.0.0'),
        asn: ROUTER_AS,
        bgpId: ROUTER_ID,
        timeSec: T0,
      },
      encodeUpdateMessage({ announced: [pfx('10.9.0.0/16')], attributes: attrs([65001]), as4: true }),
    );
    expect(decodeBmpMessage(loc, 0, loc.length).peer).toMatchObject({
      rib: 'loc-rib',
      locRibFiltered: true,
      postPolicy: false,
      ipv6: false,
    });
    // Loc-RIB paths are 4-byte (RFC 9069) whatever was seen before.
    expect(read(loc).records[0].elems.map((e) => e.asPath.toString())).toEqual(['65001']);
  });

  it('decodes every message type with all its fields', () => {
    const init = decodeBmpMessage(parts.initiation, 0, parts.initiation.length);
    expect(init).toMatchObject({
      kind: 'initiation',
      peer: null,
      sysName: 'r1.lab',
      sysDescr: 'TestOS 1.0',
      strings: ['hello'],
    });

    const up = decodeBmpMessage(parts.peerUp, 0, parts.peerUp.length);
    if (up.kind !== 'peer-up') throw new Error(up.kind);
    expect(up.localAddress.toString()).toBe('192.0.2.254');
    expect([up.localPort, up.remotePort]).toEqual([179, 40000]);
    expect(up.sentOpen).toMatchObject({
      version: 4,
      myAs: 65000,
      asn: 65000,
      fourOctetAsn: 65000,
      holdTime: 180,
    });
    expect(up.receivedOpen).toMatchObject({
      myAs: AS_TRANS,
      asn: 4_200_000_001,
      fourOctetAsn: 4_200_000_001,
    });
    expect(up.receivedOpen.bgpId.toString()).toBe('192.0.2.1');
    expect(up.receivedOpen.multiprotocol).toEqual([
      { afi: 1, safi: 1 },
      { afi: 2, safi: 1 },
    ]);
    expect(up.information.map((i) => [i.type, i.text])).toEqual([[0, 'peer one']]);

    const stats = decodeBmpMessage(parts.stats, 0, parts.stats.length);
    if (stats.kind !== 'stats-report') throw new Error(stats.kind);
    expect(stats.stats.map((s) => [s.type, s.name, s.value, s.afi, s.safi])).toEqual([
      [0, 'rejected-prefixes', 5, null, null],
      [7, 'adj-rib-in-routes', 2 ** 40, null, null],
      [9, 'adj-rib-in-routes-per-afi-safi', 12, 2, 1],
      [65531, 'stat-65531', 9, null, null],
    ]);

    const down = decodeBmpMessage(parts.peerDown, 0, parts.peerDown.length);
    if (down.kind !== 'peer-down') throw new Error(down.kind);
    expect([
      down.reason,
      down.reasonName,
      down.notification?.code,
      down.notification?.subcode,
      down.fsmEvent,
    ]).toEqual([3, 'remote-notification', 6, 2, null]);
    const fsm = encodeBmpPeerDown({ peer: P1, reason: 2, fsmEvent: 7 });
    expect(decodeBmpMessage(fsm, 0, fsm.length)).toMatchObject({
      reason: 2,
      reasonName: 'local-no-notification',
      fsmEvent: 7,
    });

    const term = decodeBmpMessage(parts.termination, 0, parts.termination.length);
    expect(term).toMatchObject({
      kind: 'termination',
      reason: 0,
      reasonName: 'administratively-closed',
      strings: ['bye'],
    });

    const update = encodeUpdateMessage({
      announced: [pfx('10.0.0.0/8')],
      attributes: attrs([65001]),
      as4: true,
    });
    const mirror = encodeBmpRouteMirroring(P1, [{ bgpMessage: update }, { information: 1 }]);
    const mm = decodeBmpMessage(mirror, 0, mirror.length);
    if (mm.kind !== 'route-mirroring') throw new Error(mm.kind);
    expect(mm.items.map((i) => [i.type, i.code, i.bgpMessage?.length ?? null])).toEqual([
      [0, null, update.length],
      [1, 1, null],
    ]);
  });

  it('with allMessages, the other message types become valid records with no elems', () => {
    const mirror = encodeBmpRouteMirroring(P1, [{ information: 0 }]);
    const keepalive = encodeBmpRouteMonitoring(P1, encodeKeepaliveMessage());
    const { records } = read(concat([bytes, mirror, keepalive]), { allMessages: true });
    expect(records.map((r) => bmpRecordInfo(r)?.message.kind)).toEqual([
      'initiation',
      'peer-up',
      'route-monitoring',
      'route-monitoring',
      'route-monitoring',
      'stats-report',
      'peer-down',
      'termination',
      'route-mirroring',
      'route-monitoring',
    ]);
    expect(records.map((r) => r.elems.length)).toEqual([0, 1, 2, 1, 1, 0, 1, 0, 0, 0]);
    expect(records.every((r) => r.status === 'valid')).toBe(true);
    // No time of its own: the dump time before anything, the last time seen afterwards.
    expect(records[0].timeSec).toBe(SOURCE.dumpTime);
    expect(records[0].dumpPosition).toBe('start');
    expect(records[7].timeSec).toBe(T0 + 5);
  });

  it('reads an IPv6 peer with ADD-PATH negotiated in its Peer Up: path ids on every elem', () => {
    const peer: BmpPeerInput = { address: ip('2001:db8::1'), asn: 6939, bgpId: ip('192.0.2.6'), timeSec: T0 };
    const o = opens(6939, peer.bgpId, { routerAddPath: 1, peerAddPath: 2 });
    const up = encodeBmpPeerUp({
      peer,
      localAddress: ip('2001:db8::fe'),
      localPort: 179,
      remotePort: 50000,
      ...o,
    });
    const a6 = attrs([6939, 13335], { nextHop: null, mpNextHop: ip('2001:db8::1') });
    const rm6 = encodeBmpRouteMonitoring(
      peer,
      encodeUpdateMessage({
        announced: [pfx('2001:db8:1::/48'), pfx('2001:db8:1::/48')],
        announcedPathIds: [1, 2],
        attributes: a6,
        as4: true,
      }),
    );
    const rm4 = encodeBmpRouteMonitoring(
      peer,
      encodeUpdateMessage({
        announced: [pfx('198.51.100.0/24')],
        announcedPathIds: [7],
        withdrawn: [pfx('203.0.113.0/24')],
        withdrawnPathIds: [8],
        attributes: attrs([6939]),
        as4: true,
      }),
    );
    const { records } = read(concat([up, rm6, rm4]));
    expect(records[0].elems[0].peerAddress?.toString()).toBe('2001:db8::1');
    const dup = decodeBmpMessage(up, 0, up.length);
    if (dup.kind !== 'peer-up') throw new Error(dup.kind);
    expect(dup.peer.ipv6).toBe(true);
    expect(dup.localAddress.toString()).toBe('2001:db8::fe');
    expect(dup.receivedOpen.addPath).toEqual([
      { afi: 1, safi: 1, sendReceive: 2 },
      { afi: 2, safi: 1, sendReceive: 2 },
    ]);
    expect(
      records[1].elems.map((e) => [
        e.prefix?.toString(),
        e.pathId,
        e.nextHop?.toString(),
        e.peerAddress?.toString(),
      ]),
    ).toEqual([
      ['2001:db8:1::/48', 1, '2001:db8::1', '2001:db8::1'],
      ['2001:db8:1::/48', 2, '2001:db8::1', '2001:db8::1'],
    ]);
    expect(records[2].elems.map((e) => [e.type, e.prefix?.toString(), e.pathId])).toEqual([
      ['W', '203.0.113.0/24', 8],
      ['A', '198.51.100.0/24', 7],
    ]);
    // FRR negotiates ADD-PATH and then strips the ids: the same peer's plain UPDATEs still read right.
    const plain = encodeBmpRouteMonitoring(
      peer,
      encodeUpdateMessage({
        announced: [pfx('198.51.100.0/24'), pfx('10.0.0.0/8')],
        attributes: attrs([6939]),
        as4: true,
      }),
    );
    expect(read(concat([up, plain])).records[1].elems.map((e) => [e.prefix?.toString(), e.pathId])).toEqual([
      ['198.51.100.0/24', null],
      ['10.0.0.0/8', null],
    ]);
  });

  it('reads path ids as plain prefixes when the OPENs did not negotiate ADD-PATH in that direction', () => {
    // The router sends ADD-PATH, the peer only receives: Adj-RIB-In has no path ids.
    const o = opens(64500, ip('192.0.2.7'), { routerAddPath: 2, peerAddPath: 1 });
    const peer: BmpPeerInput = { address: ip('192.0.2.7'), asn: 64500, bgpId: ip('192.0.2.7'), timeSec: T0 };
    const up = encodeBmpPeerUp({ peer, localAddress: ROUTER_ID, localPort: 179, remotePort: 1, ...o });
    // A /0 first: exactly what ADD-PATH detection would take for a path id.
    const rm = encodeBmpRouteMonitoring(
      peer,
      encodeUpdateMessage({
        announced: [pfx('0.0.0.0/0'), pfx('10.0.0.0/8')],
        attributes: attrs([64500]),
        as4: true,
      }),
    );
    expect(read(concat([up, rm])).records[1].elems.map((e) => [e.prefix?.toString(), e.pathId])).toEqual([
      ['0.0.0.0/0', null],
      ['10.0.0.0/8', null],
    ]);
    // Adj-RIB-Out of the same peer does carry them (router sends).
    const out = encodeBmpRouteMonitoring(
      { ...peer, adjRibOut: true },
      encodeUpdateMessage({
        announced: [pfx('10.0.0.0/8')],
        announcedPathIds: [1],
        attributes: attrs([65000]),
        as4: true,
      }),
    );
    expect(read(concat([up, out])).records[1].elems.map((e) => [e.prefix?.toString(), e.pathId])).toEqual([
      ['10.0.0.0/8', 1],
    ]);
  });

  it('reads 2-byte AS_PATHs of a peer without the 4-octet AS capability, although the A flag is not set (FRR)', () => {
    const peer: BmpPeerInput = {
      address: ip('192.0.2.17'),
      asn: 64512,
      bgpId: ip('192.0.2.17'),
      timeSec: T0,
    };
    const o = opens(64512, peer.bgpId, { peerAs4: false });
    const up = encodeBmpPeerUp({ peer, localAddress: ROUTER_ID, localPort: 179, remotePort: 2, ...o });
    // 4-byte ASNs: written as AS_TRANS with AS4_PATH beside.
    const withAs4 = encodeBmpRouteMonitoring(
      peer,
      encodeUpdateMessage({
        announced: [pfx('10.2.0.0/16')],
        attributes: attrs([65000, 64512, 4_200_000_009, 3356]),
        as4: false,
      }),
    );
    // All 2-byte ASNs and an AS_SET: these bytes also parse as a (wrong) 4-byte path.
    const ambiguous = encodeBmpRouteMonitoring(
      peer,
      encodeUpdateMessage({
        announced: [pfx('10.3.0.0/16')],
        attributes: attrs([], {
          asPath: new AsPath([
            { type: AS_SEQUENCE, asns: [65000, 64512] },
            { type: AS_SET, asns: [3356] },
          ]),
        }),
        as4: false,
      }),
    );
    const { records } = read(concat([up, withAs4, ambiguous]));
    expect(records[1].elems[0].asPath.toString()).toBe('65000 64512 4200000009 3356');
    expect(records[2].elems[0].asPath.toString()).toBe('65000 64512 {3356}');
    expect(bmpRecordInfo(records[2])?.message.peer?.asPath2Byte).toBe(false);

    // Without the Peer Up (a Kafka consumer joining mid-session): AS4_PATH still gives it away...
    expect(bmpMessageToRecords(withAs4, SOURCE)[0].elems[0].asPath.toString()).toBe(
      '65000 64512 4200000009 3356',
    );
    // ...but a path that parses both ways is read as 4-byte: the limitation the Peer Up lifts.
    expect(bmpMessageToRecords(ambiguous, SOURCE)[0].elems[0].asPath.toString()).not.toBe(
      '65000 64512 {3356}',
    );
    // The A flag, when a router sets it, is trusted.
    const flagged = encodeBmpRouteMonitoring(
      { ...peer, asPath2Byte: true },
      encodeUpdateMessage({
        announced: [pfx('10.3.0.0/16')],
        attributes: attrs([], {
          asPath: new AsPath([
            { type: AS_SEQUENCE, asns: [65000, 64512] },
            { type: AS_SET, asns: [3356] },
          ]),
        }),
        as4: false,
      }),
    );
    expect(bmpMessageToRecords(flagged, SOURCE)[0].elems[0].asPath.toString()).toBe('65000 64512 {3356}');
  });
});

describe('OpenBMP v1.7 binary header', () => {
  const { parts } = session1();
  const routerIp = ip('198.51.100.9');
  const wrap = (
    bmp: Uint8Array,
    t: number,
    extra: Partial<Parameters<typeof encodeOpenBmpMessage>[0]> = {},
  ) =>
    encodeOpenBmpMessage(
      {
        timeSec: t,
        timeUsec: 777,
        collectorAdminId: 'obmp-coll-1',
        routerIp,
        routerGroup: 'edge-routers',
        ...extra,
      },
      bmp,
    );

  it('gives time, collector, router name and router IP to the records', () => {
    const data = concat([
      wrap(parts.initiation, T0 + 100),
      wrap(parts.peerUp, T0 + 101),
      wrap(parts.announcePre, T0 + 102),
      wrap(parts.peerDown, T0 + 103),
    ]);
    for (const openbmp of ['auto', 'yes'] as const) {
      const { records, reader } = read(data, { openbmp });
      expect(
        records.map((r) => [r.timeSec, r.timeUsec, r.collector, r.router, r.routerIp?.toString()]),
      ).toEqual([
        [T0 + 101, 777, 'obmp-coll-1', 'edge-routers', '198.51.100.9'],
        [T0 + 102, 777, 'obmp-coll-1', 'edge-routers', '198.51.100.9'],
        [T0 + 103, 777, 'obmp-coll-1', 'edge-routers', '198.51.100.9'],
      ]);
      // Elems take the record time; orig_time stays the router's per-peer time.
      expect(records[1].elems.map((e) => [e.timeSec, e.timeUsec, e.origTimeSec])).toEqual([
        [T0 + 102, 777, T0 + 1],
        [T0 + 102, 777, T0 + 1],
      ]);
      expect(records[0].elems[0].newState).toBe(3);
      expect(records[2].elems[0].newState).toBe(1);
      expect(reader.stats.corruptedRecords).toBe(0);
      const info = bmpRecordInfo(records[1]);
      expect(info?.openbmp).toMatchObject({
        versionMajor: 1,
        versionMinor: 7,
        routerMessage: true,
        routerIpv6: false,
        objectType: 12,
        collectorAdminId: 'obmp-coll-1',
        routerGroup: 'edge-routers',
        rowCount: 1,
        messageLength: parts.announcePre.length,
      });
      expect(info?.message.peer?.timeSec).toBe(T0 + 1);
    }
  });

  it('handles IPv6 routers, long admin ids, an empty group (sysName then), and skips what is not a router BMP_RAW', () => {
    const v6 = ip('2001:db8::9');
    const data = concat([
      wrap(parts.initiation, T0, { routerIp: v6, routerGroup: '' }),
      wrap(parts.peerUp, T0 + 1, { routerIp: v6, routerGroup: '', collectorAdminId: 'c'.repeat(300) }),
      wrap(parts.announcePre, T0 + 2, { flags: 0x00 }), // a collector message
      wrap(parts.announcePre, T0 + 3, { objectType: 13 }),
      wrap(parts.withdraw, T0 + 4, { routerIp: v6, routerGroup: '' }),
    ]);
    const { records, reader } = read(data);
    expect(records.map((r) => [r.timeSec, r.router, r.routerIp?.toString(), r.collector.length])).toEqual([
      [T0 + 1, 'r1.lab', '2001:db8::9', 255],
      [T0 + 4, 'r1.lab', '2001:db8::9', 11],
    ]);
    expect(reader.stats.skippedOpenBmp).toBe(2);
    expect(bmpRecordInfo(records[0])?.openbmp?.routerIpv6).toBe(true);
  });

  it('skips a legacy text header up to its blank line', () => {
    const text = new TextEncoder().encode('V: 1.5\nC_HASH_ID: abc\nT: bmp_raw\nL: 0\nR: 1\n\n');
    const { records, reader } = read(concat([text, parts.peerUp, text, parts.announcePre]));
    expect(records.map((r) => r.elems.length)).toEqual([1, 2]);
    expect(reader.stats.textHeaders).toBe(2);
    expect(reader.stats.corruptedRecords).toBe(0);
  });

  it("'no' reads raw BMP only and 'yes' requires the header", () => {
    const wrapped = wrap(parts.peerUp, T0 + 1);
    // Raw only: "OBMP" is garbage, and the reader resynchronises on the BMP message inside.
    const no = read(concat([wrapped, parts.announcePre]), { openbmp: 'no' });
    expect(no.records.map((r) => `${r.status}:${r.collector}`)).toEqual([
      'corrupted-record:bmp-station',
      'valid:bmp-station',
      'valid:bmp-station',
    ]);
    expect(no.records[1].elems[0].newState).toBe(3);
    const yes = read(concat([parts.peerUp, wrapped]), { openbmp: 'yes' });
    expect(yes.records.map((r) => r.status)).toEqual(['corrupted-record', 'valid']);
    expect(yes.records[1].collector).toBe('obmp-coll-1');
  });

  it('bmpMessageToRecords decodes one Kafka message, with peer state kept in a session', () => {
    const session = new BmpSession();
    const opts = { session };
    expect(bmpMessageToRecords(wrap(parts.initiation, T0), SOURCE, opts)).toEqual([]);
    const up = bmpMessageToRecords(wrap(parts.peerUp, T0 + 1), SOURCE, opts);
    expect(up.map((r) => [r.status, r.collector, r.router, r.dumpPosition, r.elems[0].newState])).toEqual([
      ['valid', 'obmp-coll-1', 'edge-routers', 'middle', 3],
    ]);
    expect(session.peerCount).toBe(1);
    const rm = bmpMessageToRecords(wrap(parts.announcePre, T0 + 2), SOURCE, opts);
    expect(rm[0].elems.map((e) => e.prefix?.toString())).toEqual(['10.0.0.0/8', '10.1.0.0/16']);
    expect(rm[0].raw?.length).toBe(wrap(parts.announcePre, T0 + 2).length);
    expect(
      bmpMessageToRecords(wrap(parts.stats, T0 + 3), SOURCE, { session, allMessages: true })[0].elems,
    ).toEqual([]);
    // Raw BMP in a Kafka message works too; garbage gives one corrupted record, never a throw.
    expect(bmpMessageToRecords(parts.withdraw, SOURCE)[0].elems[0].type).toBe('W');
    const broken = wrap(parts.announcePre, T0 + 4).slice(0, 100);
    expect(bmpMessageToRecords(broken, SOURCE).map((r) => r.status)).toEqual(['corrupted-record']);
    expect(bmpMessageToRecords(new Uint8Array([1, 2, 3]), SOURCE).map((r) => r.status)).toEqual([
      'corrupted-record',
    ]);
    expect(bmpMessageToRecords(new Uint8Array(0), SOURCE)).toEqual([]);
    expect(bmpMessageToRecords(parts.peerUp, SOURCE, { openbmp: 'yes' }).map((r) => r.status)).toEqual([
      'corrupted-record',
    ]);
  });
});

describe('BMP reader robustness', () => {
  const { bytes, parts } = session1();
  const good = read(bytes).records;

  it('cutting the stream into chunks of any size changes nothing', () => {
    const whole = signature(good);
    expect(signature(read(bytes, {}, () => 1).records)).toEqual(whole);
    expect(signature(read(bytes, {}, () => 7).records)).toEqual(whole);
    const rng = new Prng(42);
    expect(signature(read(bytes, {}, () => rng.range(1, 300)).records)).toEqual(whole);
  });

  it('a wrong version or length gives a corrupted record and reading resumes at the next message', () => {
    const badVersion = parts.announcePre.slice();
    badVersion[0] = 2;
    const badLength = parts.announcePost.slice();
    badLength[4] = 3; // length 3: shorter than a common header
    const garbage = new Uint8Array([0xde, 0xad, 0xbe, 0xef, 3, 0, 0]);
    const data = concat([
      parts.peerUp,
      badVersion,
      garbage,
      parts.announcePost,
      badLength,
      parts.withdraw,
      parts.peerDown,
    ]);
    for (const chunk of [undefined, () => 5]) {
      const { records, reader } = read(data, {}, chunk);
      expect(records.map((r) => `${r.status}:${r.elems.map((e) => e.type).join('')}`)).toEqual([
        'valid:S',
        'corrupted-record:',
        'valid:A',
        'corrupted-record:',
        'valid:W',
        'valid:S',
      ]);
      expect(records[1].error).toMatch(/^no BMP message at byte \d+ \(first byte 2, expected version 3\)$/);
      expect(records[1].timeSec).toBe(T0); // the last trusted time
      expect(reader.stats.bytesSkipped).toBe(badVersion.length + garbage.length + badLength.length);
    }
  });

  it('a body that does not decode is one corrupted record; the next message is read', () => {
    const badOpen = parts.peerUp.slice();
    badOpen[6 + 42 + 20 + 18] = 9; // sent OPEN: type 9 is no BGP message
    const { records } = read(concat([badOpen, parts.announcePre]));
    expect(records.map((r) => r.status)).toEqual(['corrupted-record', 'valid']);
    expect(records[0].error).toMatch(/unknown BGP message type 9/);
    expect(records[0].raw?.length).toBe(parts.peerUp.length);
  });

  it('a message cut at the end of the stream is a truncated corrupted record', () => {
    const data = concat([parts.peerUp, parts.announcePre.slice(0, 40)]);
    const { records } = read(data);
    expect(records.map((r) => r.status)).toEqual(['valid', 'corrupted-record']);
    expect(records[1].error).toMatch(/^truncated: /);
    expect(records[1].dumpPosition).toBe('end');
  });

  it('empty and all-filtered streams say so, and the time interval applies', () => {
    expect(read(new Uint8Array(0)).records.map((r) => [r.status, r.timeSec, r.dumpPosition])).toEqual([
      ['empty-source', SOURCE.dumpTime, 'end'],
    ]);
    expect(read(concat([parts.initiation, parts.stats])).records.map((r) => r.status)).toEqual([
      'filtered-source',
    ]);
    const { records, reader } = read(bytes, { interval: { begin: T0 + 1, end: T0 + 2 } });
    expect(records.map((r) => [r.status, r.timeSec])).toEqual([
      ['valid', T0 + 1],
      ['valid', T0 + 2],
      ['outside-time-interval', T0 + 3],
    ]);
    expect(reader.stats.filteredRecords).toBe(1);
    expect(reader.done).toBe(true);
  });

  it('never holds more than one message: an absurd length is garbage, not a reason to buffer', () => {
    const huge = encodeBmpMessage(BMP_PEER_UP, new Uint8Array(100));
    new DataView(huge.buffer).setUint32(1, 0x7fff_ffff);
    const { records } = read(concat([huge, parts.peerUp]));
    expect(records.map((r) => r.status)).toEqual(['corrupted-record', 'valid']);
    expect(records[0].error).toMatch(/exceeds/);
  });

  it('readBmpBatches reads async chunks; a failing source ends with corrupted-source', async () => {
    async function* chunks(fail: boolean) {
      yield bytes.slice(0, 100);
      yield bytes.slice(100);
      if (fail) throw new Error('connection reset');
    }
    const got: BgpRecord[] = [];
    for await (const batch of readBmpBatches(chunks(false), SOURCE)) got.push(...batch);
    expect(signature(got)).toEqual(signature(good));
    const failed: BgpRecord[] = [];
    for await (const batch of readBmpBatches(chunks(true), SOURCE)) failed.push(...batch);
    expect(failed.map((r) => r.status)).toEqual([...good.map(() => 'valid'), 'corrupted-source']);
    expect(failed[failed.length - 1].error).toBe('connection reset');
  });

  describe('openResource', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bmp-test-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('routes the bmp format to the BMP reader (gzip detected by content)', async () => {
      const file = path.join(dir, 'session.bmp');
      writeFileSync(file, gzipSync(bytes));
      const got: BgpRecord[] = [];
      for await (const batch of openResource({
        url: file,
        format: 'bmp',
        project: 'lab',
        collector: 'bmp-station',
        type: 'update',
        initialTime: SOURCE.dumpTime,
        duration: 0,
      }))
        got.push(...batch);
      expect(signature(got)).toEqual(signature(good));
    });
  });
});

// ---------------------------------------------------------------- real FRR captures

const bmpSamplesDir = process.env.BMP_SAMPLES_DIR ?? path.resolve(repoRoot, '../shared/bmp-samples');
const sample = (n: number) => path.join(bmpSamplesDir, `frr-bmp-${n}.raw.gz`);
const haveBmpSamples = [1, 2, 3].every((n) => existsSync(sample(n)));
if (!haveBmpSamples)
  console.warn(`BMP samples not found at ${bmpSamplesDir} (set BMP_SAMPLES_DIR): skipping`);

const loaded = new Map<number, Uint8Array>();
function load(n: number): Uint8Array {
  let data = loaded.get(n);
  if (!data) {
    data = new Uint8Array(gunzipSync(readFileSync(sample(n))));
    loaded.set(n, data);
  }
  return data;
}

describe.skipIf(!haveBmpSamples)('real BMP streams from FRR 8.4 (../shared/bmp-samples)', () => {
  // The README's table: messages by type.
  const table: Record<
    number,
    {
      bytes: number;
      messages: number;
      rm: number;
      stats: number;
      down: number;
      up: number;
      init: number;
      mirror: number;
    }
  > = {
    1: { bytes: 2_875_093, messages: 20_722, rm: 20_578, stats: 127, down: 10, up: 6, init: 1, mirror: 0 },
    2: { bytes: 989_638, messages: 6_971, rm: 0, stats: 127, down: 10, up: 6, init: 1, mirror: 6_827 },
    3: { bytes: 2_156_500, messages: 16_092, rm: 15_980, stats: 99, down: 6, up: 6, init: 1, mirror: 0 },
  };

  for (const n of [1, 2, 3]) {
    it(`frr-bmp-${n}: message counts by type match the README, nothing corrupted`, () => {
      const data = load(n);
      const t = table[n];
      expect(data.length).toBe(t.bytes);
      const { records, reader } = read(data, { openbmp: 'auto' });
      const m = reader.stats.messages;
      expect(m).toEqual({
        'route-monitoring': t.rm,
        'stats-report': t.stats,
        'peer-down': t.down,
        'peer-up': t.up,
        initiation: t.init,
        termination: 0,
        'route-mirroring': t.mirror,
      });
      expect(Object.values(m).reduce((a, b) => a + b, 0)).toBe(t.messages);
      expect(reader.stats.corruptedRecords).toBe(0);
      expect(reader.stats.bytesSkipped).toBe(0);
      // Kept by default: route monitoring UPDATEs, peer up and peer down.
      expect(records.length).toBe(t.rm + t.up + t.down);
      expect(records.every((r) => r.status === 'valid' && r.error === null)).toBe(true);
      expect(records.every((r) => r.router === 'bmplab-frr')).toBe(true);
      expect(records.every((r) => r.timeSec > 1_700_000_000)).toBe(true);
      const all = read(data, { allMessages: true }).records;
      expect(all.length).toBe(t.messages);
    });
  }

  it('frr-bmp-1: announced and withdrawn prefix counts equal the README (per message: one prefix per UPDATE, pre and post policy both counted)', () => {
    const { records } = read(load(1));
    const count = (type: string, family: number) =>
      records.reduce(
        (n, r) => n + r.elems.filter((e) => e.type === type && e.prefix?.family === family).length,
        0,
      );
    expect([count('A', 4), count('A', 6), count('W', 4), count('W', 6)]).toEqual([14_054, 3_911, 2_022, 591]);
    const rm = records.filter((r) => bmpRecordInfo(r)?.message.kind === 'route-monitoring');
    expect(rm.every((r) => r.elems.length === 1)).toBe(true);
    // Unique (peer, rib, prefix) announcements are far fewer: the counts are per message.
    const unique = new Set(
      rm
        .filter((r) => r.elems[0].type === 'A')
        .map((r) => `${r.elems[0].peerAddress}|${bmpRecordInfo(r)?.message.peer?.rib}|${r.elems[0].prefix}`),
    );
    expect(unique.size).toBeLessThan(14_054 + 3_911);
    // "Always a pre/post pair": as many post-policy messages as pre-policy ones, per family; the
    // inbound policy (deny _174_) turns some pre-policy announcements into post-policy withdrawals.
    const by = new Map<string, number>();
    for (const r of rm) {
      const e = r.elems[0];
      const key = `${bmpRecordInfo(r)?.message.peer?.postPolicy ? 'post' : 'pre'}${e.type}${e.prefix?.family}`;
      by.set(key, (by.get(key) ?? 0) + 1);
    }
    const n = (k: string) => by.get(k) ?? 0;
    for (const f of [4, 6]) {
      expect(n(`preA${f}`) + n(`preW${f}`)).toBe(n(`postA${f}`) + n(`postW${f}`));
      expect(n(`preA${f}`) - n(`postA${f}`)).toBe(n(`postW${f}`) - n(`preW${f}`));
      expect(n(`preA${f}`) - n(`postA${f}`)).toBeGreaterThan(0);
    }
    // No path ids: FRR strips them although ADD-PATH is negotiated with ::1.
    expect(rm.some((r) => r.elems[0].pathId !== null)).toBe(false);
  });

  it('frr-bmp-1: peer up / peer down records, capabilities and reasons', () => {
    const data = load(1);
    const { records } = read(data);
    const states = records.filter((r) => r.elems[0]?.type === 'S');
    expect(states.map((r) => `${r.elems[0].peerAddress}:${r.elems[0].newState}`).slice(0, 8)).toEqual([
      '127.0.0.13:1',
      '127.0.0.15:1',
      '127.0.0.17:1',
      '::1:1',
      '127.0.0.17:3',
      '127.0.0.15:3',
      '127.0.0.13:3',
      '::1:3',
    ]);
    // The first Peer Downs (before any Peer Up): reason 2, BGP ID 0.0.0.0.
    const firstDown = bmpRecordInfo(states[0])?.message;
    expect(firstDown).toMatchObject({ kind: 'peer-down', reason: 2, fsmEvent: 0 });
    expect(firstDown?.peer?.bgpId.toString()).toBe('0.0.0.0');
    const ups = states.filter((r) => r.elems[0].newState === 3).map((r) => bmpRecordInfo(r)?.message);
    const byPeer = new Map(ups.map((m) => [m?.peer?.address.toString(), m]));
    const caps = (addr: string) => {
      const m = byPeer.get(addr);
      if (m?.kind !== 'peer-up') throw new Error(addr);
      return {
        as4: m.receivedOpen.fourOctetAsn !== null && m.sentOpen.fourOctetAsn !== null,
        asn: m.receivedOpen.asn,
        addPath: m.receivedOpen.addPath.map((a) => a.sendReceive),
        info: m.information[0]?.text,
      };
    };
    expect(caps('127.0.0.17')).toEqual({
      as4: false,
      asn: 64512,
      addPath: [],
      info: 'AS64512 v4-transport no-AS4-capability',
    });
    expect(caps('127.0.0.13')).toMatchObject({ as4: true, asn: 4_200_000_001 });
    expect(caps('::1')).toMatchObject({ as4: true, asn: 6939, addPath: [2, 2] });
    expect(states.find((r) => r.elems[0].peerAsn === 4_200_000_001)?.elems[0].peerAsn).toBe(4_200_000_001);
    // The Cease the AS_TRANS peer sends.
    const cease = states
      .map((r) => bmpRecordInfo(r)?.message)
      .find((m) => m?.kind === 'peer-down' && m.reason === 3);
    expect(cease).toMatchObject({ reason: 3, notification: { code: 6, subcode: 2 } });
  });

  it('frr-bmp-1: the AS_TRANS peer (2-byte AS_PATH + AS4_PATH, A flag unset) decodes to the 4-byte ASNs it was sent', () => {
    const { records } = read(load(1));
    const paths = records
      .filter((r) => r.elems[0]?.type === 'A' && r.elems[0].peerAsn === 64512)
      .map((r) => ({ rec: r, e: r.elems[0] }));
    expect(paths.length).toBe(4_440);
    expect(paths.every(({ rec }) => bmpRecordInfo(rec)?.message.peer?.asPath2Byte === false)).toBe(true);
    // Every path starts with the router's AS and the peer's, never with AS_TRANS.
    expect(paths.every(({ e }) => e.asPath.toString().startsWith('65000 64512'))).toBe(true);
    const big = paths.filter(({ e }) => e.asPath.segments.some((s) => s.asns.some((a) => a > 0xffff)));
    expect(big.length).toBeGreaterThan(100);

    // The ground truth: bmp-2 mirrors the UPDATEs the router received, verbatim (2-byte, AS4_PATH).
    const mirrored = new Map<string, Set<string>>();
    for (const r of read(load(2), { allMessages: true }).records) {
      const m = bmpRecordInfo(r)?.message;
      if (m?.kind !== 'route-mirroring' || m.peer.asn !== 64512) continue;
      for (const item of m.items) {
        if (!item.bgpMessage) continue;
        const f = frameBgpMessage(item.bgpMessage, 0, item.bgpMessage.length);
        if (f.type !== 2) continue;
        const out = new DecodeOutput();
        const origin = { timeSec: 0, timeUsec: 0, peerAddress: null, peerAsn: 64512 };
        updateToElems(
          item.bgpMessage,
          f.bodyStart,
          f.bodyEnd,
          { asSize: 2, addPath: 'no', ribAfi: 0 },
          origin,
          out,
        );
        for (const e of out.elems) {
          if (e.type !== 'A') continue;
          const key = e.prefix!.toString();
          if (!mirrored.has(key)) mirrored.set(key, new Set());
          mirrored.get(key)!.add(e.asPath.toString());
        }
      }
    }
    expect(mirrored.size).toBeGreaterThan(1000);
    let compared = 0;
    let comparedBig = 0;
    for (const { e } of paths) {
      const sent = mirrored.get(e.prefix!.toString());
      if (!sent) continue;
      compared++;
      // The router prepends its own AS 65000 (README).
      expect(sent.has(e.asPath.toString().replace(/^65000 /, ''))).toBe(true);
      if (e.asPath.segments.some((s) => s.asns.some((a) => a > 0xffff))) comparedBig++;
    }
    expect(compared).toBeGreaterThan(4_000);
    expect(comparedBig).toBeGreaterThan(100);
  });

  it('frr-bmp-3: the 16 End-of-RIB markers carry time 0 and take the previous message time', () => {
    const { records } = read(load(3));
    const eor = records.filter((r) => r.elems.length === 0);
    expect(eor.length).toBe(16);
    for (const r of eor) {
      expect(bmpRecordInfo(r)?.message).toMatchObject({
        kind: 'route-monitoring',
        bgpType: 2,
        peer: { timeSec: 0 },
      });
      expect(r.timeSec).toBeGreaterThan(1_700_000_000);
    }
  });

  it('random chunk sizes give the same records', () => {
    for (const n of [1, 3]) {
      const data = load(n);
      const whole = signature(read(data).records);
      const rng = new Prng(deriveSeed(0xb3b, n));
      const chunked = signature(read(data, {}, () => rng.logRange(1, 200_000)).records);
      expect(chunked.length).toBe(whole.length);
      expect(chunked).toEqual(whole);
    }
  });
});

// ---------------------------------------------------------------- fuzz

function envInt(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const v = Number(text);
  if (!Number.isInteger(v) || v < 0) throw new Error(`${name}=${text}: expected a non-negative integer`);
  return v;
}

const FUZZ_SEED = envInt('BMP_FUZZ_SEED', 0x626d_7031) >>> 0;
const FUZZ_CASES = envInt('BMP_FUZZ_CASES', 300);
const STATUSES: ReadonlySet<RecordStatus> = new Set([
  'valid',
  'corrupted-record',
  'empty-source',
  'filtered-source',
]);

/** The same messages, each behind an OpenBMP v1.7 header (its collection time one second after the router's). */
function wrapEach(data: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let p = 0; p < data.length; ) {
    const len = new DataView(data.buffer, data.byteOffset + p + 1, 4).getUint32(0);
    parts.push(
      encodeOpenBmpMessage(
        {
          timeSec: T0 + parts.length,
          collectorAdminId: 'fuzz',
          routerIp: ip('192.0.2.200'),
          routerGroup: 'g',
        },
        data.subarray(p, p + len),
      ),
    );
    p += len;
  }
  return concat(parts);
}

/** bmp-1 cut at a message boundary near 200 KB. */
function fuzzBase(): Uint8Array {
  const data = load(1);
  let p = 0;
  while (p < data.length) {
    const len = new DataView(data.buffer, data.byteOffset + p + 1, 4).getUint32(0);
    if (p + len > 200 * 1024) break;
    p += len;
  }
  return data.slice(0, p);
}

function mutate(base: Uint8Array, rng: Prng): Uint8Array {
  let data: Uint8Array = base.slice();
  const edits = rng.range(1, 6);
  for (let k = 0; k < edits; k++) {
    const at = rng.int(data.length);
    switch (rng.int(7)) {
      case 0: // flip bits
        data[at] ^= 1 << rng.int(8);
        break;
      case 1: // random byte run
        data.set(rng.bytes(Math.min(rng.logRange(1, 64), data.length - at)), at);
        break;
      case 2: // insert
        data = concat([data.subarray(0, at), rng.bytes(rng.logRange(1, 300)), data.subarray(at)]);
        break;
      case 3: // delete
        data = concat([
          data.subarray(0, at),
          data.subarray(Math.min(data.length, at + rng.logRange(1, 2000))),
        ]);
        break;
      case 4: {
        // a length field set to something else
        const v = rng.pick([0, 5, 6, 47, 48, 49, 0xffff, 0x100000, 0x7fffffff]);
        if (at + 5 <= data.length) new DataView(data.buffer, data.byteOffset).setUint32(at + 1, v >>> 0);
        break;
      }
      case 5: // truncate
        data = data.slice(0, at);
        break;
      default: {
        // duplicate a range elsewhere
        const from = rng.int(data.length);
        const piece = data.slice(from, from + rng.logRange(1, 4000));
        data = concat([data.subarray(0, at), piece, data.subarray(at)]);
      }
    }
    if (data.length === 0) break;
  }
  return data;
}

describe.skipIf(!haveBmpSamples)('fuzz: mutations of frr-bmp-1 never throw', () => {
  it(`${FUZZ_CASES} seeded mutations (seed ${FUZZ_SEED}): no throw, sane statuses, chunking changes nothing`, () => {
    const base = fuzzBase();
    expect(base.length).toBeGreaterThan(150 * 1024);
    const baseline = read(base).records;
    expect(baseline.every((r) => r.status === 'valid')).toBe(true);
    // Every third case mutates the stream as openbmp-collector would write it.
    const wrapped = wrapEach(base);
    const wrappedBaseline = read(wrapped).records;
    expect(wrappedBaseline.every((r) => r.status === 'valid' && r.collector === 'fuzz')).toBe(true);
    expect(wrappedBaseline.map((r) => r.elems.map(elemLine).length)).toEqual(
      baseline.map((r) => r.elems.length),
    );
    let corrupted = 0;
    let valid = 0;
    for (let i = 0; i < FUZZ_CASES; i++) {
      const rng = new Prng(deriveSeed(FUZZ_SEED, i));
      const data = mutate(i % 3 === 2 ? wrapped : base, rng);
      const start = Date.now();
      let whole: BgpRecord[];
      try {
        whole = read(data, { allMessages: i % 2 === 1 }).records;
        const again = read(data, { allMessages: i % 2 === 1 }, () => rng.logRange(1, 70_000)).records;
        expect(signature(again)).toEqual(signature(whole));
        // The low-level API on every kept record's bytes does not throw either.
        for (const r of whole) bmpRecordInfo(r);
        bmpMessageToRecords(data.subarray(0, Math.min(data.length, 5000)), SOURCE);
      } catch (err) {
        throw new Error(`case ${i} (BMP_FUZZ_SEED=${FUZZ_SEED}): ${(err as Error).message}`, { cause: err });
      }
      expect(Date.now() - start).toBeLessThan(5000);
      for (const r of whole) {
        expect(STATUSES.has(r.status)).toBe(true);
        if (r.status !== 'valid') expect(r.elems).toEqual([]);
      }
      corrupted += whole.filter((r) => r.status === 'corrupted-record').length;
      valid += whole.filter((r) => r.status === 'valid').length;
    }
    expect(corrupted).toBeGreaterThan(0);
    // A few local edits cost a few messages (truncations cost more): most of the stream survives.
    expect(valid).toBeGreaterThan(0.5 * FUZZ_CASES * baseline.length);
  }, 240_000);

  it('decodeBgpOpen and decodeBmpMessage reject garbage with DecodeError only', () => {
    const rng = new Prng(FUZZ_SEED);
    for (let i = 0; i < 2000; i++) {
      const b = rng.bytes(rng.range(0, 200));
      if (b.length > 0) b[0] = 3;
      try {
        decodeBmpMessage(b, 0, b.length);
      } catch (err) {
        expect((err as Error).name).toBe('DecodeError');
      }
      try {
        decodeBgpOpen(b, 0, b.length);
      } catch (err) {
        expect((err as Error).name).toBe('DecodeError');
      }
    }
  });
});
