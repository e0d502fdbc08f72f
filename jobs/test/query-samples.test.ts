import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobCatalog, LakeConnection, runJob } from '../src/query/index.js';
import { runQuery } from './helpers/cli.js';
import {
  buildLake,
  decodeElems,
  haveSamples,
  noSamplesMessage,
  type OElem,
  SAMPLE_DUMPS,
  tempDir,
} from './helpers/lakes.js';
import * as oracle from './helpers/oracle.js';
import { isoSec, type Row, rows, sorted, us } from './helpers/values.js';

// The jobs on a lake of real updates (RIS rrc06 and RouteViews route-views.jinx, 2015-04-01 00:00,
// from libbgpstream's test data), against answers computed from the decoder's elems.

if (!haveSamples) console.warn(noSamplesMessage);

const DUMP = 1427846400;
const HOUR_US = 3600e6;

describe.skipIf(!haveSamples)('jobs on a lake of real RIS and RouteViews updates', () => {
  let lake = '';
  let cleanup: () => void = () => {};
  let elems: OElem[] = [];
  let conn: LakeConnection;
  const catalog = JobCatalog.load();
  const job = async (name: string, params: Record<string, string> = {}) =>
    rows(await runJob(conn, catalog, name, params));
  const peerOf = (r: Row) => `${r.project}|${r.collector}|${r.peer_asn}|${r.peer_address}`;

  beforeAll(async () => {
    const t = tempDir('bgpq-samples-');
    cleanup = t.cleanup;
    lake = path.join(t.dir, 'lake');
    await buildLake(lake, SAMPLE_DUMPS);
    elems = await decodeElems(SAMPLE_DUMPS);
    conn = await LakeConnection.open(lake);
  }, 120_000);

  afterAll(() => {
    conn?.close();
    cleanup();
  });

  it('holds both collectors, and a collector filter keeps to one', async () => {
    const by = rows(
      await conn.query('SELECT project, collector, count(*) AS n FROM elems GROUP BY ALL ORDER BY collector'),
    );
    expect(by.map((r) => [r.project, r.collector, r.n])).toEqual(
      [
        ['ris', 'rrc06'],
        ['routeviews', 'route-views.jinx'],
      ]
        .map(([p, c]) => [p, c, elems.filter((e) => e.collector === c).length])
        .sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
    );
    const rrc06 = await job('update-rates', { collector: 'rrc06' });
    expect(rrc06.length).toBeGreaterThan(0);
    expect(new Set(rrc06.map((r) => r.collector))).toEqual(new Set(['rrc06']));
  });

  it('moas and origin-changes equal the oracle', async () => {
    const m = await job('moas');
    expect(m.length).toBeGreaterThan(0);
    expect(
      sorted(
        m.map((r) => ({ prefix: r.prefix, origins: r.origins, elems: r.elems, peers: r.peers })),
        (x) => x.prefix,
      ),
    ).toEqual(sorted(oracle.moas(elems, {}), (x) => x.prefix));
    const key = (x: {
      prefix: string;
      t: number;
      peerAsn: number;
      peerAddress: string | null;
      pathId: number | null;
    }) => `${x.prefix}|${x.t}|${x.peerAsn}|${x.peerAddress}|${x.pathId}|${JSON.stringify(x)}`;
    const changes = await job('origin-changes');
    expect(changes.length).toBeGreaterThan(0);
    expect(
      sorted(
        changes.map((r) => ({
          prefix: r.prefix,
          t: us(r.changed_at),
          oldOrigins: r.old_origins,
          newOrigins: r.new_origins,
          peerAsn: r.peer_asn,
          peerAddress: r.peer_address,
          pathId: r.path_id,
        })),
        key,
      ),
    ).toEqual(sorted(oracle.originChanges(elems, {}), key));
  });

  it('update-rates: counts per peer-minute equal the oracle; messages count distinct record times', async () => {
    const expected = oracle.updateRates(elems, {});
    const actual = await job('update-rates');
    const k = (x: { minute: number; peer: string }) => `${x.minute}|${x.peer}`;
    expect(
      sorted(
        actual.map((r) => ({
          minute: us(r.minute),
          peer: peerOf(r),
          announcements: r.announcements,
          withdrawals: r.withdrawals,
          messages: r.messages,
        })),
        k,
      ),
    ).toEqual(
      sorted(
        expected.map(({ records, ...rest }) => rest),
        k,
      ),
    );
    // whole-second times (BGP4MP): distinct times are a lower bound of the messages
    expect(expected.some((e) => e.messages < e.records)).toBe(true);
    for (const e of expected) expect(e.messages).toBeLessThanOrEqual(e.records);
  });

  it('visibility (window and table) and lookup equal the oracle', async () => {
    const w = { from: isoSec(DUMP + 60), until: isoSec(DUMP + 600) };
    const win = await job('visibility', w);
    const shape = (r: Row) => ({
      prefix: r.prefix,
      peers: r.peers,
      peerAsns: r.peer_asns,
      collectors: r.collectors,
      origins: r.origins,
    });
    expect(sorted(win.map(shape), (x) => x.prefix)).toEqual(
      sorted(oracle.visibilityWindow(elems, { from: us(w.from), until: us(w.until) }), (x) => x.prefix),
    );
    const when = DUMP + 900;
    const table = await job('visibility', { at: isoSec(when), lookback_hours: '1' });
    expect(sorted(table.map(shape), (x) => x.prefix)).toEqual(
      sorted(oracle.visibilityAt(elems, when * 1e6, HOUR_US), (x) => x.prefix),
    );
    expect(table.length).toBeGreaterThan(100);
    // lookups of an address inside a few announced prefixes (IPv4 and IPv6)
    const held = [...oracle.routesAt(elems, when * 1e6, HOUR_US).values()];
    const picks = [
      held.find((e) => e.family === 4),
      held.find((e) => e.family === 6),
      held[Math.floor(held.length / 2)],
    ];
    for (const e of picks) {
      const address = e!.prefix!.split('/')[0];
      const expected = oracle.lookup(elems, address, when * 1e6, HOUR_US);
      const actual = await job('lookup', { address, at: isoSec(when), lookback_hours: '1' });
      const key = (x: { prefix: string; peer: string; pathId: number | null }) =>
        `${x.prefix}|${x.peer}|${x.pathId}`;
      expect(
        sorted(
          actual.map((r) => ({ prefix: r.prefix, peer: peerOf(r), pathId: r.path_id, t: us(r.learned_at) })),
          key,
        ),
        address,
      ).toEqual(
        sorted(
          expected.map((x) => ({ prefix: x.prefix!, peer: oracle.peerKey(x), pathId: x.pathId, t: x.t })),
          key,
        ),
      );
      expect(actual.length).toBeGreaterThan(0);
    }
  });

  it('peer-sessions and as-paths equal the oracle', async () => {
    const resets = await job('peer-sessions');
    expect(
      resets.map((r) => ({
        peer: peerOf(r),
        down: us(r.down_at),
        up: r.up_at === null ? null : us(r.up_at),
      })),
    ).toEqual(
      sorted(
        oracle.sessionResets(elems, {}).map((e) => ({ peer: e.peer, down: e.down, up: e.up })),
        (x) => `${String(x.down).padStart(20)}|${x.peer}`,
      ),
    );
    const changes = await job('peer-sessions', { report: 'changes' });
    expect(changes).toHaveLength(elems.filter((e) => e.elemType === 'S').length);
    const lengths = await job('as-paths');
    expect(new Map(lengths.map((r) => [r.path_length, r.elems]))).toEqual(oracle.pathLengths(elems, {}));
    const transit = await job('as-paths', { report: 'transit', top: '25' });
    expect(transit.map((r) => [r.asn, r.elems])).toEqual(oracle.topN(oracle.transitCounts(elems, {}), 25));
    const prepending = await job('as-paths', { report: 'prepending', top: '1000000' });
    const expected = oracle.prepending(elems, {});
    expect(
      new Map(
        prepending.map((r) => [r.asn, { paths: r.elems, maxCopies: r.max_copies, extra: r.extra_copies }]),
      ),
    ).toEqual(expected);
    expect(expected.size).toBeGreaterThan(0);
  });

  it('the command line reads this lake too (csv of the moas job)', async () => {
    const r = await runQuery([
      '--lake',
      lake,
      '--job',
      'moas',
      '--param',
      'collector=route-views.jinx',
      '--format',
      'csv',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const expected = oracle.moas(
      elems.filter((e) => e.collector === 'route-views.jinx'),
      {},
    );
    expect(r.stdout.trimEnd().split('\r\n')).toHaveLength(expected.length + 1);
  });
});
