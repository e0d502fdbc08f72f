import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDemoDump, DEMO_DEFAULT_SEED, DEMO_FACTS, DEMO_START } from '../src/demo/demo-data.js';
import { AS_SEQUENCE, AS_SET } from '../src/model/as-path.js';
import type { Elem } from '../src/model/elem.js';
import type { BgpRecord } from '../src/model/record.js';
import {
  BGP4MP_MESSAGE_AS4,
  BGP4MP_MESSAGE_AS4_ADDPATH,
  BGP4MP_STATE_CHANGE_AS4,
  MRT_BGP4MP_ET,
  MRT_TABLE_DUMP_V2,
  TDV2_RIB_IPV4_UNICAST_ADDPATH,
} from '../src/mrt/mrt-types.js';
import { readMrt } from '../src/mrt/read-mrt.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DEMO_DIR = 'examples/data/demo';
const RIB_FILE = resolve(repoRoot, DEMO_DIR, 'rib.20260101.0000.mrt.gz');
const UPDATES_FILE = resolve(repoRoot, DEMO_DIR, 'updates.20260101.0000.mrt.gz');

const dump = buildDemoDump();

async function readAll(path: string): Promise<BgpRecord[]> {
  const out: BgpRecord[] = [];
  for await (const record of readMrt(path)) out.push(record);
  return out;
}

/** Index of the first differing byte, -1 when equal: a failure says where, not 200 KB of diff. */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

const elemsOf = (records: readonly BgpRecord[]) => records.flatMap((r) => r.elems);
const peerText = (e: Elem) => e.peerAddress?.toString() ?? '';
const ofPrefix = (elems: readonly Elem[], prefix: string) =>
  elems.filter((e) => e.prefix?.toString() === prefix);

let rib: BgpRecord[] = [];
let updates: BgpRecord[] = [];
let ribElems: Elem[] = [];
let updateElems: Elem[] = [];

beforeAll(async () => {
  rib = await readAll(RIB_FILE);
  updates = await readAll(UPDATES_FILE);
  ribElems = elemsOf(rib);
  updateElems = elemsOf(updates);
});

describe('the committed demo data is the generator output', () => {
  it('regenerates byte-identical MRT with the default seed', () => {
    expect(firstDifference(dump.rib, gunzipSync(readFileSync(RIB_FILE)))).toBe(-1);
    expect(firstDifference(dump.updates, gunzipSync(readFileSync(UPDATES_FILE)))).toBe(-1);
  });

  it('depends on the seed and nothing else', () => {
    const again = buildDemoDump({ seed: DEMO_DEFAULT_SEED });
    expect(firstDifference(again.rib, dump.rib)).toBe(-1);
    expect(firstDifference(again.updates, dump.updates)).toBe(-1);
    const other = buildDemoDump({ seed: 7 });
    expect(firstDifference(other.rib, dump.rib)).not.toBe(-1);
    expect(other.start).toBe(DEMO_START);
  });

  it('lists both files in demo.csv for the csvfile data interface', () => {
    const csv = readFileSync(resolve(repoRoot, DEMO_DIR, 'demo.csv'), 'utf8');
    expect(csv.trim().split('\n')).toEqual([
      `${DEMO_DIR}/rib.20260101.0000.mrt.gz,demo,ribs,demo,${DEMO_START},120,${DEMO_START}`,
      `${DEMO_DIR}/updates.20260101.0000.mrt.gz,demo,updates,demo,${DEMO_START},900,${DEMO_START}`,
    ]);
  });
});

describe('decoding the demo data', () => {
  it('gives only valid records', () => {
    expect(rib.filter((r) => r.status !== 'valid')).toEqual([]);
    expect(updates.filter((r) => r.status !== 'valid')).toEqual([]);
    expect(rib.every((r) => r.mrtType === MRT_TABLE_DUMP_V2 && r.timeSec === DEMO_START)).toBe(true);
    expect(updates.every((r) => r.mrtType === MRT_BGP4MP_ET)).toBe(true);
  });

  it('gives the counts the generator wrote', () => {
    const { counts } = dump;
    expect(ribElems.length).toBe(counts.ribElems);
    expect(ribElems.every((e) => e.type === 'R')).toBe(true);
    const count = (type: string) => updateElems.filter((e) => e.type === type).length;
    expect(count('A')).toBe(counts.announcements);
    expect(count('W')).toBe(counts.withdrawals);
    expect(count('S')).toBe(counts.stateChanges);
    expect(count('R')).toBe(0);
    // Every update record is an UPDATE, a KEEPALIVE (no elems) or a state change.
    expect(updates.length).toBe(counts.updateMessages + counts.keepalives + counts.stateChanges);
    expect(updates.filter((r) => r.elems.length === 0).length).toBe(counts.keepalives);
    expect(updates.filter((r) => r.mrtSubtype === BGP4MP_STATE_CHANGE_AS4).length).toBe(counts.stateChanges);
    expect(updates.filter((r) => r.mrtSubtype === BGP4MP_MESSAGE_AS4_ADDPATH).length).toBe(
      counts.addPathMessages,
    );
    expect(counts.updateMessages).toBeGreaterThan(1800);
    expect(counts.updateMessages).toBeLessThan(2200);
  });

  it('has microsecond timestamps in order over the 15 minutes', () => {
    const times = updates.map((r) => r.timeSec * 1e6 + r.timeUsec);
    expect(times.every((t, i) => i === 0 || t >= times[i - 1])).toBe(true);
    expect(updates[0].timeSec).toBeGreaterThanOrEqual(DEMO_FACTS.start);
    expect(updates[updates.length - 1].timeSec).toBeLessThan(DEMO_FACTS.end);
    expect(updates.filter((r) => r.timeUsec !== 0).length).toBeGreaterThan(updates.length / 2);
  });

  it('has 400 IPv4 and 100 IPv6 prefixes in the RIB, most seen by every peer, some by one or two', () => {
    const peersOf = new Map<string, Set<string>>();
    for (const e of ribElems) {
      const key = e.prefix!.toString();
      peersOf.set(key, (peersOf.get(key) ?? new Set()).add(peerText(e)));
    }
    const prefixes = ribElems.map((e) => e.prefix!);
    expect(new Set(prefixes.filter((p) => p.family === 4).map(String)).size).toBe(400);
    expect(new Set(prefixes.filter((p) => p.family === 6).map(String)).size).toBe(100);
    const visibility = [...peersOf.values()].map((s) => s.size);
    expect(visibility.filter((n) => n === 5).length).toBeGreaterThan(peersOf.size / 2);
    expect(visibility.filter((n) => n <= 2).length).toBeGreaterThan(10);
  });

  it('has 4-byte peer ASNs above 2^31, AS_SETs, prepending, large communities and MEDs', () => {
    const all = [...ribElems, ...updateElems];
    expect(ribElems.some((e) => e.peerAsn > 2 ** 31)).toBe(true);
    expect(updateElems.some((e) => e.peerAsn > 2 ** 31)).toBe(true);
    expect(updateElems.some((e) => e.type === 'A' && e.prefix?.family === 6)).toBe(true);
    expect(all.some((e) => e.asPath.segments.some((s) => s.type === AS_SET))).toBe(true);
    expect(all.some((e) => (e.attributes?.largeCommunities.length ?? 0) > 0)).toBe(true);
    expect(all.some((e) => e.attributes?.med !== null && e.attributes?.med !== undefined)).toBe(true);
    expect(ribElems.filter((e) => e.attributes!.communities.length > 0).length).toBeGreaterThan(
      ribElems.length / 2,
    );
    const { asn, copies } = DEMO_FACTS.prepending;
    const prepended = ` ${Array(copies).fill(asn).join(' ')}`;
    expect(all.some((e) => e.asPath.toString().endsWith(prepended))).toBe(true);
    for (const origin of DEMO_FACTS.asSetOrigins) {
      expect(
        all.some((e) => {
          const [seq, set] = e.asPath.segments.slice(-2);
          return (
            seq?.type === AS_SEQUENCE && seq.asns[seq.asns.length - 1] === origin && set?.type === AS_SET
          );
        }),
      ).toBe(true);
    }
    for (const e of all.filter((x) => x.type !== 'W' && x.type !== 'S')) {
      expect(e.asPath.length).toBeGreaterThanOrEqual(2);
      expect(e.asPath.length).toBeLessThanOrEqual(8);
      expect(e.asPath.segments[0].asns[0]).toBe(e.peerAsn);
      expect(e.nextHop).not.toBeNull();
    }
  });

  it('has ADD-PATH path ids in the RIB and in the updates', () => {
    const { peerAddress, prefixes, pathIds } = DEMO_FACTS.addPath;
    expect(rib.some((r) => r.mrtSubtype === TDV2_RIB_IPV4_UNICAST_ADDPATH)).toBe(true);
    for (const prefix of prefixes) {
      const ids = ofPrefix(ribElems, prefix)
        .filter((e) => peerText(e) === peerAddress)
        .map((e) => e.pathId);
      expect(ids).toEqual(pathIds);
      const updateIds = ofPrefix(updateElems, prefix)
        .filter((e) => peerText(e) === peerAddress)
        .map((e) => e.pathId);
      expect(updateIds).toContain(2);
    }
    // Only the ADD-PATH records carry path ids.
    expect(ribElems.filter((e) => e.pathId !== null).length).toBe(prefixes.length * pathIds.length);
    const addPathRecords = updates.filter((r) => r.mrtSubtype === BGP4MP_MESSAGE_AS4_ADDPATH);
    expect(addPathRecords.flatMap((r) => r.elems).every((e) => e.pathId !== null)).toBe(true);
  });
});

describe('DEMO_FACTS are in the decoded data', () => {
  it('MOAS: both origins are announced, by different peers, inside the window', () => {
    const { prefix, origins, roguePeers, from, until } = DEMO_FACTS.moas;
    const [usual, rogue] = origins;
    expect(new Set(ofPrefix(ribElems, prefix).map((e) => e.originAsn))).toEqual(new Set([usual]));
    const announced = ofPrefix(updateElems, prefix).filter((e) => e.type === 'A');
    const inWindow = announced.filter((e) => e.timeSec >= from && e.timeSec <= until);
    expect(new Set(inWindow.map((e) => e.originAsn))).toEqual(new Set(origins));
    const rogueBy = new Set(inWindow.filter((e) => e.originAsn === rogue).map(peerText));
    const usualBy = new Set(inWindow.filter((e) => e.originAsn === usual).map(peerText));
    expect(rogueBy).toEqual(new Set(roguePeers));
    expect([...usualBy].some((p) => !rogueBy.has(p))).toBe(true);
    // The second origin is gone outside the window: every rogue peer's last word is the usual origin.
    expect(announced.filter((e) => e.originAsn === rogue && (e.timeSec < from || e.timeSec > until))).toEqual(
      [],
    );
    for (const p of roguePeers) {
      expect(announced.filter((e) => peerText(e) === p).at(-1)?.originAsn).toBe(usual);
    }
  });

  it('origin change: the old origin in the RIB, the new one from `at` on, for good', () => {
    const { prefix, oldOrigin, newOrigin, at } = DEMO_FACTS.originChange;
    const inRib = ofPrefix(ribElems, prefix);
    expect(inRib.length).toBe(DEMO_FACTS.peers.length);
    expect(inRib.every((e) => e.originAsn === oldOrigin)).toBe(true);
    const announced = ofPrefix(updateElems, prefix).filter((e) => e.type === 'A');
    expect(announced.filter((e) => e.timeSec < at)).toEqual([]);
    expect(announced[0].timeSec).toBe(at);
    expect(announced.every((e) => e.originAsn === newOrigin)).toBe(true);
    expect(new Set(announced.map(peerText)).size).toBe(DEMO_FACTS.peers.length);
  });

  it('session reset: withdrawals, ESTABLISHED->IDLE, back through the FSM to ESTABLISHED, table re-sent', () => {
    const { peerAddress, withdrawnAt, down, up } = DEMO_FACTS.sessionReset;
    const fromPeer = updateElems.filter((e) => peerText(e) === peerAddress);
    const states = fromPeer.filter((e) => e.type === 'S');
    expect(states.map((e) => [e.timeSec, e.fields['old-state'], e.fields['new-state']])).toEqual([
      [down, 'ESTABLISHED', 'IDLE'],
      [up, 'IDLE', 'CONNECT'],
      [up, 'CONNECT', 'OPENSENT'],
      [up, 'OPENSENT', 'OPENCONFIRM'],
      [up, 'OPENCONFIRM', 'ESTABLISHED'],
    ]);
    const withdrawn = fromPeer.filter((e) => e.type === 'W' && e.timeSec >= withdrawnAt && e.timeSec <= down);
    expect(withdrawn.length).toBeGreaterThan(300);
    expect(fromPeer.filter((e) => e.type !== 'S' && e.timeSec > down && e.timeSec < up)).toEqual([]);
    const reannounced = new Set(
      fromPeer
        .filter((e) => e.type === 'A' && e.timeSec >= up && e.timeSec < up + 60)
        .map((e) => String(e.prefix)),
    );
    expect(withdrawn.every((e) => reannounced.has(String(e.prefix)))).toBe(true);
    const stateRecords = updates.filter((r) => r.elems.some((e) => e.type === 'S'));
    expect(stateRecords.every((r) => r.mrtSubtype === BGP4MP_STATE_CHANGE_AS4)).toBe(true);
  });

  it('burst: the busiest peer-minute by far is the burst peer in the burst minute', () => {
    const { peerAddress, minute, messages } = DEMO_FACTS.burst;
    const perMinute = new Map<string, number>();
    for (const r of updates) {
      if (r.mrtSubtype !== BGP4MP_MESSAGE_AS4 || r.elems.length === 0) continue;
      const key = `${peerText(r.elems[0])}@${r.timeSec - ((r.timeSec - DEMO_START) % 60)}`;
      perMinute.set(key, (perMinute.get(key) ?? 0) + 1);
    }
    const ranked = [...perMinute].sort((a, b) => b[1] - a[1]);
    expect(ranked[0][0]).toBe(`${peerAddress}@${minute}`);
    expect(ranked[0][1]).toBeGreaterThanOrEqual(messages);
    expect(ranked[1][1]).toBeLessThan(messages / 1.5);
  });
});
