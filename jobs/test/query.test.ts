import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_FACTS } from '@bgpstream-ts/core';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobCatalog, LakeConnection, QueryError, runJob, toPlain } from '../src/query/index.js';
import { runQuery } from './helpers/cli.js';
import { buildLake, DEMO_DUMPS, decodeElems, type OElem, tempDir } from './helpers/lakes.js';
import * as oracle from './helpers/oracle.js';
import { isoSec, type Row, rows, sorted, us } from './helpers/values.js';

// Every job on a lake built from the demo data, checked against answers computed in plain
// TypeScript from the decoder's elems (helpers/oracle.ts), never against the job's own SQL.

const S = DEMO_FACTS.start;
const at = (seconds: number) => isoSec(S + seconds);
const DAY_US = 24 * 3600e6;

let lake = '';
let work = '';
let cleanup: () => void = () => {};
let elems: OElem[] = [];
let conn: LakeConnection;
const catalog = JobCatalog.load();

beforeAll(async () => {
  const t = tempDir('bgpq-demo-');
  cleanup = t.cleanup;
  work = t.dir;
  lake = path.join(t.dir, 'lake');
  await buildLake(lake, DEMO_DUMPS);
  elems = await decodeElems(DEMO_DUMPS);
  conn = await LakeConnection.open(lake);
}, 120_000);

afterAll(() => {
  conn?.close();
  cleanup();
});

const job = async (name: string, params: Record<string, string> = {}) =>
  rows(await runJob(conn, catalog, name, params));
/** The oracle's window (µs) for job parameters `from` / `until`. */
const win = (w: Record<string, string>): oracle.Window => ({
  from: w.from === undefined ? undefined : us(w.from),
  until: w.until === undefined ? undefined : us(w.until),
});
const peerOf = (r: Row) => `${r.project}|${r.collector}|${r.peer_asn}|${r.peer_address}`;
const out = (name: string) => path.join(work, name);

describe('the lake connection', () => {
  it('elems holds every decoded elem, with the partition columns and the elem position', async () => {
    const [r] = rows(
      await conn.query(`SELECT count(*) AS n, count(*) FILTER (WHERE type = 'rib') AS rib, count(DISTINCT date) AS dates,
                               min(date)::VARCHAR AS date, count(DISTINCT filename) AS files, max(file_row_number) AS last_row
                        FROM elems`),
    );
    expect(r.n).toBe(elems.length);
    expect(r.rib).toBe(elems.filter((e) => e.type === 'rib').length);
    expect(r).toMatchObject({ dates: 1, date: '2026-01-01', files: 2 });
    const byType = rows(await conn.query('SELECT elem_type, count(*) AS n FROM elems GROUP BY ALL'));
    for (const t of ['R', 'A', 'W', 'S']) {
      expect(byType.find((x) => x.elem_type === t)?.n, t).toBe(elems.filter((e) => e.elemType === t).length);
    }
  });

  it('records: one row per record key (record columns + peer for updates, prefix for RIBs)', async () => {
    const keys = new Set(
      elems.map((e) =>
        [
          e.type,
          e.t,
          e.status,
          e.position,
          e.type === 'update' ? `${e.peerAsn}|${e.peerAddress}` : '',
          e.type === 'rib' ? e.prefix : '',
        ].join('|'),
      ),
    );
    const records = new Set(elems.map((e) => e.recordIndex));
    const [r] = rows(await conn.query('SELECT count(*) AS n, sum(elems)::BIGINT AS elems FROM records'));
    expect(r.elems).toBe(elems.length);
    expect(r.n).toBe(keys.size);
    // the demo's updates have microsecond times: there, a record key is one record
    const [u] = rows(await conn.query("SELECT count(*) AS n FROM records WHERE type = 'update'"));
    expect(u.n).toBe(new Set(elems.filter((e) => e.type === 'update').map((e) => e.recordIndex)).size);
    expect(records.size).toBeGreaterThanOrEqual(r.n);
  });

  it('dumps lists the manifest: one row per exported dump', async () => {
    const d = rows(await conn.query('SELECT type, dump_time, files, rows FROM dumps ORDER BY type'));
    expect(d.map((x) => [x.type, x.dump_time, x.files])).toEqual([
      ['rib', isoSec(S), 1],
      ['update', isoSec(S), 1],
    ]);
    expect(d[0].rows + d[1].rows).toBe(elems.length);
  });

  it('a collector, type or date filter prunes part files (bound parameters included)', async () => {
    // A copy of the lake whose update part is garbage: a query that still works never read it.
    const copy = path.join(work, 'pruned-lake');
    cpSync(lake, copy, { recursive: true });
    const [updatePart] = rows(await conn.query("SELECT DISTINCT filename FROM elems WHERE type = 'update'"));
    writeFileSync(path.join(copy, path.relative(lake, updatePart.filename)), 'not parquet');
    const c = await LakeConnection.open(copy);
    try {
      const n = async (where: string, params = {}) =>
        rows(await c.query(`SELECT count(peer_asn) AS n FROM elems WHERE ${where}`, params))[0].n;
      await expect(n('true')).rejects.toThrow();
      expect(await n("type = 'rib'")).toBe(elems.filter((e) => e.type === 'rib').length);
      expect(await n('type = $t', { t: 'rib' })).toBe(elems.filter((e) => e.type === 'rib').length);
      await expect(n('type = $t', { t: 'update' })).rejects.toThrow();
      expect(await n('collector = $c', { c: 'rrc06' })).toBe(0);
      expect(await n("date >= DATE '2026-01-02'")).toBe(0);
      expect(await n('window_dates(date, $from, NULL)', { from: new Date('2026-01-03T00:00:00Z') })).toBe(0);
      // a job whose filters exclude the broken file runs
      const run = catalog.prepare('update-rates', { collector: 'elsewhere' });
      expect((await c.query(run.sql, run.params)).rows).toEqual([]);
    } finally {
      c.close();
    }
  });

  it('takes any lake path safely: quotes are quoted, glob characters refused, a missing lake is a clear error', async () => {
    const quoted = path.join(work, "it's a lake");
    cpSync(lake, quoted, { recursive: true });
    const c = await LakeConnection.open(quoted);
    try {
      expect(rows(await c.query('SELECT count(*) AS n FROM elems'))[0].n).toBe(elems.length);
    } finally {
      c.close();
    }
    await expect(LakeConnection.open(path.join(work, 'lake*'))).rejects.toThrow(/contains '\*'/);
    await expect(LakeConnection.open(path.join(work, 'no-such-lake'))).rejects.toThrow(QueryError);
    mkdirSync(path.join(work, 'empty'));
    await expect(LakeConnection.open(path.join(work, 'empty'))).rejects.toThrow(/no Parquet files/);
  });
});

describe('jobs on the demo lake, against the decoder', () => {
  it('moas: the demo conflict on 203.0.113.0/24, and exactly the oracle over any window', async () => {
    const { moas } = DEMO_FACTS;
    const window = { from: isoSec(moas.from), until: isoSec(moas.until) };
    const got = await job('moas', window);
    expect(got.map((r) => [r.prefix, r.origins])).toContainEqual([
      moas.prefix,
      [...moas.origins].sort((a, b) => a - b),
    ]);
    const windows: Record<string, string>[] = [
      window,
      {},
      { from: at(0), until: at(480) },
      { from: at(590) },
    ];
    for (const w of windows) {
      const expected = oracle.moas(elems, win(w));
      const actual = await job('moas', w);
      expect(
        sorted(
          actual.map((r) => ({ prefix: r.prefix, origins: r.origins, elems: r.elems, peers: r.peers })),
          (x) => x.prefix,
        ),
        JSON.stringify(w),
      ).toEqual(sorted(expected, (x) => x.prefix));
      for (const r of actual) expect(r.n_origins).toBe(r.origins.length);
    }
    // the rogue origin came from the two rogue peers
    const row = got.find((r) => r.prefix === moas.prefix)!;
    expect(row.by_origin.find((o: Row) => o.origin === moas.origins[1]).peers).toBe(moas.roguePeers.length);
  });

  it('origin-changes: per-peer changes equal the oracle; the demo origin change is seen by every peer', async () => {
    const expected = oracle.originChanges(elems, {});
    const actual = await job('origin-changes');
    const key = (x: {
      prefix: string;
      t: number;
      peerAsn: number;
      peerAddress: string | null;
      pathId: number | null;
    }) => `${x.prefix}|${x.t}|${x.peerAsn}|${x.peerAddress}|${x.pathId}`;
    expect(
      sorted(
        actual.map((r) => ({
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
    ).toEqual(sorted(expected, key));
    const { originChange } = DEMO_FACTS;
    const changes = await job('origin-changes', { prefix: originChange.prefix, report: 'prefixes' });
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      old_origins: [originChange.oldOrigin],
      new_origins: [originChange.newOrigin],
      peers: DEMO_FACTS.peers.length,
    });
    expect(us(changes[0].first_change)).toBeGreaterThanOrEqual(originChange.at * 1e6);
    expect(us(changes[0].last_change)).toBeLessThan((originChange.at + 30) * 1e6);
  });

  it('visibility in a window and at a time equals the oracle; the reset peer carries nothing while down', async () => {
    const windows: Record<string, string>[] = [
      {},
      { from: at(0), until: at(60) },
      { from: at(300), until: at(400) },
    ];
    for (const w of windows) {
      const expected = oracle.visibilityWindow(elems, win(w));
      const actual = await job('visibility', w);
      expect(
        sorted(
          actual.map((r) => ({
            prefix: r.prefix,
            peers: r.peers,
            peerAsns: r.peer_asns,
            collectors: r.collectors,
            origins: r.origins,
          })),
          (x) => x.prefix,
        ),
        JSON.stringify(w),
      ).toEqual(sorted(expected, (x) => x.prefix));
    }
    const reset = DEMO_FACTS.sessionReset;
    for (const seconds of [0, 120, 350, 450, 540, 899]) {
      const expected = oracle.visibilityAt(elems, (S + seconds) * 1e6, DAY_US);
      const actual = await job('visibility', { at: at(seconds) });
      expect(
        sorted(
          actual.map((r) => ({
            prefix: r.prefix,
            peers: r.peers,
            peerAsns: r.peer_asns,
            collectors: r.collectors,
            origins: r.origins,
          })),
          (x) => x.prefix,
        ),
        `at +${seconds}s`,
      ).toEqual(sorted(expected, (x) => x.prefix));
    }
    // while peer 65536 is down, no prefix has all five peers; before and after, most do
    const down = await job('visibility', { at: isoSec((reset.down + reset.up) / 2) });
    expect(down.filter((r) => r.peers === DEMO_FACTS.peers.length)).toHaveLength(0);
    const up = await job('visibility', { at: at(899) });
    expect(up.filter((r) => r.peers === DEMO_FACTS.peers.length).length).toBeGreaterThan(200);
    // table mode with no RIB in the lookback (an hour before +65 min): the updates since +5 min only
    const updatesOnly = oracle.visibilityAt(elems, (S + 3900) * 1e6, 3600e6);
    const got = await job('visibility', { at: at(3900), lookback_hours: '1' });
    expect(
      sorted(
        got.map((r) => ({
          prefix: r.prefix,
          peers: r.peers,
          peerAsns: r.peer_asns,
          collectors: r.collectors,
          origins: r.origins,
        })),
        (x) => x.prefix,
      ),
    ).toEqual(sorted(updatesOnly, (x) => x.prefix));
    expect(updatesOnly.length).toBeGreaterThan(0);
    expect(updatesOnly.length).toBeLessThan(up.length);
  });

  it('lookup: exactly the covering prefixes present at the time, route by route', async () => {
    const when = DEMO_FACTS.moas.from + 60;
    for (const address of ['203.0.113.77', '203.0.113.200', '2001:db8:1234::1', '10.0.0.1', '192.0.2.1']) {
      const expected = oracle.lookup(elems, address, when * 1e6, DAY_US);
      const actual = await job('lookup', { address, at: isoSec(when) });
      const key = (x: { prefix: string; peer: string; pathId: number | null }) =>
        `${x.prefix}|${x.peer}|${x.pathId}`;
      expect(
        sorted(
          actual.map((r) => ({
            prefix: r.prefix,
            peer: peerOf(r),
            pathId: r.path_id,
            t: us(r.learned_at),
            origins: r.origin_asns,
            path: r.as_path,
          })),
          key,
        ),
        address,
      ).toEqual(
        sorted(
          expected.map((e) => ({
            prefix: e.prefix!,
            peer: oracle.peerKey(e),
            pathId: e.pathId,
            t: e.t,
            origins: e.origins,
            path: e.asPathText,
          })),
          key,
        ),
      );
      // most specific first
      const lengths = actual.map((r) => r.prefix_length);
      expect(lengths).toEqual([...lengths].sort((a, b) => b - a));
    }
    const inside = await job('lookup', { address: '203.0.113.200', at: isoSec(when) });
    expect([...new Set(inside.map((r) => r.prefix))].sort()).toEqual(['203.0.113.0/24', '203.0.113.128/25']);
    // during the MOAS, the two rogue peers route 203.0.113.77 to the rogue origin
    const rogue = (await job('lookup', { address: '203.0.113.77', at: isoSec(when) })).filter(
      (r) => r.origin_asns[0] === DEMO_FACTS.moas.origins[1],
    );
    expect(rogue.map((r) => r.peer_address).sort()).toEqual([...DEMO_FACTS.moas.roguePeers].sort());
  });

  it('update-rates: per peer and minute equal to a JS count; the burst minute is the top one', async () => {
    const expected = oracle.updateRates(elems, {});
    const actual = await job('update-rates');
    const key = (x: { minute: number; peer: string }) => `${x.minute}|${x.peer}`;
    expect(
      sorted(
        actual.map((r) => ({
          minute: us(r.minute),
          peer: peerOf(r),
          announcements: r.announcements,
          withdrawals: r.withdrawals,
          messages: r.messages,
        })),
        key,
      ),
    ).toEqual(
      sorted(
        expected.map(({ records, ...rest }) => rest),
        key,
      ),
    );
    // microsecond record times: distinct times are exactly the UPDATE messages
    for (const e of expected) expect(e.messages).toBe(e.records);
    for (const r of actual) expect(r.updates).toBe(r.announcements + r.withdrawals);
    const top = [...actual].sort((a, b) => b.messages - a.messages)[0];
    expect(top.peer_asn).toBe(DEMO_FACTS.burst.peerAsn);
    expect(us(top.minute)).toBe(DEMO_FACTS.burst.minute * 1e6);
    expect(top.messages).toBeGreaterThanOrEqual(DEMO_FACTS.burst.messages);
    const onePeer = await job('update-rates', {
      peer_asn: String(DEMO_FACTS.burst.peerAsn),
      from: at(600),
      until: at(780),
    });
    expect(onePeer.map((r) => us(r.minute))).toEqual([600, 660, 720].map((s) => (S + s) * 1e6));
  });

  it('peer-sessions: the reset of peer 65536, equal to the oracle in every report', async () => {
    const reset = DEMO_FACTS.sessionReset;
    const expected = oracle.sessionResets(elems, {});
    const resets = await job('peer-sessions');
    expect(
      resets.map((r) => ({
        peer: peerOf(r),
        down: us(r.down_at),
        up: r.up_at === null ? null : us(r.up_at),
      })),
    ).toEqual(expected.map((e) => ({ peer: e.peer, down: e.down, up: e.up })));
    expect(resets).toHaveLength(1);
    expect(resets[0]).toMatchObject({
      peer_asn: reset.peerAsn,
      peer_address: reset.peerAddress,
      down_to: 'IDLE',
    });
    expect(us(resets[0].down_at)).toBe(reset.down * 1e6);
    expect(us(resets[0].up_at)).toBeGreaterThanOrEqual(reset.up * 1e6);
    expect(us(resets[0].up_at)).toBeLessThan((reset.up + 1) * 1e6);
    expect(resets[0].down_seconds).toBeCloseTo((us(resets[0].up_at) - us(resets[0].down_at)) / 1e6, 6);
    const changes = await job('peer-sessions', { report: 'changes' });
    expect(changes).toHaveLength(elems.filter((e) => e.elemType === 'S').length);
    expect(changes.map((c) => c.event)).toEqual(['down', 'transition', 'transition', 'transition', 'up']);
    const [summary] = await job('peer-sessions', { report: 'summary', peer_asn: String(reset.peerAsn) });
    expect(summary).toMatchObject({ state_changes: 5, downs: 1, ups: 1, resets: 1 });
    // a window that ends before the session came back: a down without an up
    const cut = await job('peer-sessions', { until: isoSec(reset.up - 10) });
    expect(cut).toHaveLength(1);
    expect(cut[0].up_at).toBeNull();
  });

  it('as-paths: length distribution, transit ASes and prepending equal the oracle', async () => {
    const w = {};
    const lengths = await job('as-paths', { report: 'lengths' });
    expect(new Map(lengths.map((r) => [r.path_length, r.elems]))).toEqual(oracle.pathLengths(elems, w));
    expect(lengths.reduce((s, r) => s + r.share, 0)).toBeCloseTo(1, 4);
    const transit = await job('as-paths', { report: 'transit', top: '12' });
    expect(transit.map((r) => [r.asn, r.elems])).toEqual(oracle.topN(oracle.transitCounts(elems, w), 12));
    const prepending = await job('as-paths', { report: 'prepending', top: '100' });
    const expected = oracle.prepending(elems, w);
    expect(prepending).toHaveLength(expected.size);
    for (const r of prepending) {
      expect({ elems: r.elems, maxCopies: r.max_copies, extra: r.extra_copies }, `AS${r.asn}`).toEqual({
        elems: expected.get(r.asn)?.paths,
        maxCopies: expected.get(r.asn)?.maxCopies,
        extra: expected.get(r.asn)?.extra,
      });
    }
    const { prepending: fact } = DEMO_FACTS;
    expect(prepending.find((r) => r.asn === fact.asn)?.max_copies).toBe(fact.copies);
  });

  it('times every job on the demo lake (printed, not asserted)', async () => {
    const runs: [string, Record<string, string>][] = [
      ['moas', {}],
      ['origin-changes', {}],
      ['origin-changes', { report: 'prefixes' }],
      ['visibility', {}],
      ['visibility', { at: at(540) }],
      ['lookup', { address: '203.0.113.77', at: at(540) }],
      ['update-rates', {}],
      ['peer-sessions', {}],
      ['peer-sessions', { report: 'summary' }],
      ['as-paths', {}],
      ['as-paths', { report: 'transit' }],
      ['as-paths', { report: 'prepending' }],
    ];
    const lines: string[] = [];
    for (const [name, params] of runs) {
      const t0 = performance.now();
      const r = await runJob(conn, catalog, name, params);
      const ms = performance.now() - t0;
      lines.push(
        `${`${name} ${Object.entries(params)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}`.padEnd(44)} ${ms.toFixed(1).padStart(7)} ms  ${r.rows.length} rows`,
      );
    }
    console.log(`job timings on the demo lake (${elems.length} elems):\n${lines.join('\n')}`);
  });
});

describe('parameters are bound, never pasted into SQL', () => {
  it('an injection through --param collector="x\' OR 1=1 --" returns the honest empty answer', async () => {
    const honest = await runQuery([
      '--lake',
      lake,
      '--job',
      'update-rates',
      '--param',
      'collector=no-such-collector',
      '--format',
      'json',
    ]);
    const injected = await runQuery([
      '--lake',
      lake,
      '--job',
      'update-rates',
      '--param',
      "collector=x' OR 1=1 --",
      '--format',
      'json',
    ]);
    const real = await runQuery([
      '--lake',
      lake,
      '--job',
      'update-rates',
      '--param',
      'collector=demo',
      '--format',
      'json',
    ]);
    expect(honest).toMatchObject({ code: 0, stdout: '' });
    expect(injected).toEqual(honest);
    expect(real.stdout.split('\n').length).toBeGreaterThan(10);
    for (const name of ['moas', 'visibility', 'as-paths', 'peer-sessions', 'origin-changes']) {
      const r = await runJob(conn, catalog, name, { collector: "demo' OR '1'='1" });
      expect(r.rows, name).toEqual([]);
    }
    // the same through --sql and a $parameter
    const sql = await runQuery([
      '--lake',
      lake,
      '--sql',
      'SELECT count(*) AS n FROM elems WHERE collector = $c',
      '--param',
      "c=x' OR 1=1 --",
      '--format',
      'csv',
    ]);
    expect(sql.stdout).toBe('n\r\n0\r\n');
  });

  it('typed parameters reject text that is not of their type, naming the parameter', async () => {
    const bad: [string, string, RegExp][] = [
      ['lookup', "address=1.2.3.4' OR 1=1 --", /parameter 'address'.*not a valid ip/],
      ['lookup', 'address=::ffff:1.2.3.4.5', /parameter 'address'/],
      ['moas', 'from=2026-01-01; DROP VIEW elems', /parameter 'from'.*not a valid timestamp/],
      ['moas', 'min_origins=2 OR 1=1', /parameter 'min_origins'.*not a valid integer/],
      ['moas', 'min_origins=1', /parameter 'min_origins'.*out of range/],
      ['update-rates', 'peer_asn=4294967296', /parameter 'peer_asn'.*not a valid asn/],
      ['origin-changes', 'prefix=10.0.0.0/33', /parameter 'prefix'.*not a valid prefix/],
      ['as-paths', 'report=lengths;--', /parameter 'report'.*one of lengths, transit, prepending/],
      ['moas', 'from=2026-02-30', /parameter 'from'/],
    ];
    for (const [name, param, message] of bad) {
      const more = name === 'lookup' ? ['--param', 'at=2026-01-01 00:05'] : [];
      const r = await runQuery(['--lake', lake, '--job', name, '--param', param, ...more]);
      expect(r.code, param).toBe(1);
      expect(r.stderr, param).toMatch(message);
    }
    // and the views are untouched
    expect(rows(await conn.query('SELECT count(*) AS n FROM elems'))[0].n).toBe(elems.length);
  });

  it('timestamps: ISO 8601, bgpreader forms and unix seconds mean the same instant', async () => {
    const forms = [
      String(S + 480),
      '2026-01-01 00:08:00',
      '2026-01-01T00:08:00Z',
      '2026-01-01T01:08:00+01:00',
      '2026-01-01 00:08',
    ];
    const answers = new Set<string>();
    for (const from of forms)
      answers.add(JSON.stringify((await job('moas', { from, until: at(600) })).map((r) => r.prefix)));
    expect(answers.size).toBe(1);
  });
});

describe('output formats', () => {
  async function readBack(sql: string): Promise<Row[]> {
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    try {
      await c.run("SET TimeZone = 'UTC'");
      const reader = await c.runAndReadAll(sql);
      const names = reader.columnNames();
      return reader.getRows().map((r) => Object.fromEntries(r.map((v, i) => [names[i], toPlain(v)])));
    } finally {
      c.closeSync();
      db.closeSync();
    }
  }

  const args = ['--job', 'moas', '--param', `from=${isoSec(DEMO_FACTS.moas.from)}`];

  it('csv (RFC 4180), json lines and parquet read back to the same rows', async () => {
    const expected = rows(await runJob(conn, catalog, 'moas', { from: isoSec(DEMO_FACTS.moas.from) }));
    expect(expected.length).toBeGreaterThan(0);
    for (const format of ['csv', 'json', 'parquet']) {
      const file = out(`moas.${format}`);
      const r = await runQuery(['--lake', lake, ...args, '--format', format, '--out', file]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`${expected.length} rows? to .*moas\\.${format}`));
    }
    // JSON lines: one object per line, keys in column order
    const json = readFileSync(out('moas.json'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(json).toEqual(expected);
    // Parquet: DuckDB's own types come back (lists, structs, timestamps)
    const parquet = await readBack(`SELECT * FROM read_parquet('${out('moas.parquet')}')`);
    expect(parquet).toEqual(expected);
    // CSV: text fields, quoted where needed; DuckDB's reader gets the same text back
    const csvText = readFileSync(out('moas.csv'), 'utf8');
    expect(csvText.split('\r\n')[0]).toBe(
      'prefix,n_origins,origins,elems,peers,first_seen,last_seen,by_origin',
    );
    const csv = await readBack(
      `SELECT * FROM read_csv('${out('moas.csv')}', header = true, all_varchar = true, quote = '"', escape = '"')`,
    );
    expect(csv).toEqual(
      expected.map((r) =>
        Object.fromEntries(
          Object.entries(r).map(([k, v]) => [
            k,
            v === null ? null : typeof v === 'object' ? JSON.stringify(v) : String(v),
          ]),
        ),
      ),
    );
    expect(csvText).toContain('"[{""origin"":64510,');
  });

  it('csv distinguishes NULL (empty) from the empty string (""), and quotes commas and line breaks', async () => {
    const file = out('edge.csv');
    const r = await runQuery([
      '--lake',
      lake,
      '--sql',
      "SELECT 'a,b' AS comma, 'say \"hi\"' AS quote, E'two\\nlines' AS nl, '' AS empty, NULL::VARCHAR AS nothing, 3 AS n",
      '--format',
      'csv',
      '--out',
      file,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(
      'comma,quote,nl,empty,nothing,n\r\n"a,b","say ""hi""","two\nlines","",,3\r\n',
    );
  });

  it('table: aligned columns, numbers to the right, NULL shown, a row count', async () => {
    const r = await runQuery(['--lake', lake, '--job', 'peer-sessions', '--param', 'report=changes']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^time\s+project\s+collector\s+peer_asn\s+peer_address\s+old_state\s+new_state\s+event$/,
    );
    expect(lines[1]).toMatch(/^-+( {2}-+)+$/);
    expect(lines.at(-1)).toBe('(5 rows)');
    // every line's columns start where the header's do
    const starts = [...lines[1].matchAll(/-+/g)].map((m) => m.index);
    for (const line of lines.slice(2, -1))
      for (const s of starts.slice(1)) expect(line[(s ?? 0) - 1], line).toBe(' ');
    const nulls = await runQuery(['--lake', lake, '--sql', 'SELECT 1 AS a, NULL AS b']);
    expect(nulls.stdout).toContain('NULL');
  });

  it('parquet needs --out, and never inside the lake', async () => {
    expect((await runQuery(['--lake', lake, ...args, '--format', 'parquet'])).stderr).toMatch(/needs --out/);
    const inside = await runQuery([
      '--lake',
      lake,
      ...args,
      '--format',
      'parquet',
      '--out',
      path.join(lake, 'x.parquet'),
    ]);
    expect(inside.stderr).toMatch(/inside the lake/);
    expect(existsSync(path.join(lake, 'x.parquet'))).toBe(false);
  });
});

describe('charts', () => {
  /** The items of the data marks in a vega SVG: one `<path>` per point (symbol) or bar (rect). */
  function marks(svg: string, kind: 'symbol' | 'rect'): number {
    const groups = svg.split(`<g class="mark-${kind} role-mark`).slice(1);
    return groups.reduce((n, g) => n + (g.split('</g>')[0].match(/<path/g) ?? []).length, 0);
  }

  it('update-rates --chart: one point per row, one line per peer', async () => {
    const file = out('rates.svg');
    const csv = out('rates.csv');
    const r = await runQuery([
      '--lake',
      lake,
      '--job',
      'update-rates',
      '--param',
      `until=${at(300)}`,
      '--format',
      'csv',
      '--out',
      csv,
      '--chart',
      file,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const svg = readFileSync(file, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    const n = readFileSync(csv, 'utf8').trimEnd().split('\r\n').length - 1;
    expect(n).toBe(oracle.updateRates(elems, { until: (S + 300) * 1e6 }).length);
    expect(marks(svg, 'symbol')).toBe(n);
    expect((svg.split('<g class="mark-line role-mark')[1] ?? '').length).toBeGreaterThan(0);
    expect(svg.match(/<g class="mark-line role-mark/g)).toHaveLength(DEMO_FACTS.peers.length);
  });

  it('peer-sessions --chart: a bar per reset, a point per state change', async () => {
    const bars = out('resets.svg');
    expect((await runQuery(['--lake', lake, '--job', 'peer-sessions', '--chart', bars])).code).toBe(0);
    expect(marks(readFileSync(bars, 'utf8'), 'rect')).toBe(1);
    const points = out('changes.svg');
    expect(
      (
        await runQuery([
          '--lake',
          lake,
          '--job',
          'peer-sessions',
          '--param',
          'report=changes',
          '--chart',
          points,
        ])
      ).code,
    ).toBe(0);
    expect(marks(readFileSync(points, 'utf8'), 'symbol')).toBe(5);
  });

  it('a job without a chart says which jobs have one', async () => {
    const r = await runQuery(['--lake', lake, '--job', 'moas', '--chart', out('no.svg')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no chart.*update-rates/);
  });
});

describe('the command line', () => {
  it('-h lists every job with its parameters, types and defaults', async () => {
    const r = await runQuery(['-h']);
    expect(r.code).toBe(0);
    for (const name of [
      'moas',
      'origin-changes',
      'visibility',
      'lookup',
      'update-rates',
      'peer-sessions',
      'as-paths',
    ]) {
      expect(r.stdout).toContain(`  ${name}: `);
    }
    expect(r.stdout).toContain('--param address=<ip>  required.');
    expect(r.stdout).toContain('--param report=<choice(lengths|transit|prepending)>  default lengths.');
    expect(r.stdout).toContain('contains_address(prefix_family, prefix_network, prefix_length, ip_text)');
    const list = await runQuery(['--list']);
    expect(list.stdout.trimEnd().split('\n')).toHaveLength(catalog.names.length);
  });

  it('an unknown job lists the jobs; a bad, unknown, missing or conflicting parameter names it', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['--job', 'nope'],
        /unknown job 'nope'; the jobs are: as-paths, lookup, moas, origin-changes, peer-sessions, update-rates, visibility/,
      ],
      [
        ['--job', 'moas', '--param', 'frm=2026-01-01'],
        /job 'moas' has no parameter 'frm'; its parameters are: from \(timestamp, optional\), until/,
      ],
      [['--job', 'lookup', '--param', 'at=2026-01-01'], /job 'lookup' needs --param address=<ip>/],
      [
        ['--job', 'visibility', '--param', `at=${at(1)}`, '--param', `from=${at(0)}`],
        /'at' cannot be combined with 'from'/,
      ],
      [['--job', 'moas', '--param', 'from'], /--param 'from': write NAME=VALUE/],
      [['--job', 'moas', '--param', 'min_origins=2', '--param', 'min_origins=3'], /min_origins given twice/],
      [['--job', 'moas', '--format', 'xml'], /--format 'xml': one of table, csv, json, parquet/],
      [['--sql', 'SELECT 1', '--job', 'moas'], /one of --sql, --sql-file or --job/],
      [['--sql', 'SELEC 1'], /Parser Error/],
      [['--sql', 'SELECT $missing'], /uses \$missing but no value was given/],
      [['--bogus'], /Unknown option '--bogus'.*-h/],
    ];
    for (const [argv, message] of cases) {
      const r = await runQuery(['--lake', lake, ...argv]);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.stderr, argv.join(' ')).toMatch(message);
    }
    expect((await runQuery(['--job', 'moas'])).stderr).toMatch(/--lake DIR is required/);
    expect((await runQuery(['--lake', path.join(work, 'missing'), '--job', 'moas'])).stderr).toMatch(
      /is not a folder/,
    );
  });

  it('--sql runs several statements and prints the last; --show-sql prints the job and its bound values', async () => {
    const r = await runQuery([
      '--lake',
      lake,
      '--sql',
      'CREATE TEMP TABLE p AS SELECT DISTINCT peer_asn FROM elems; SELECT count(*) AS peers FROM p',
      '--format',
      'json',
    ]);
    expect(r.stdout).toBe(`{"peers":${DEMO_FACTS.peers.length}}\n`);
    const show = await runQuery([
      '--job',
      'lookup',
      '--param',
      'address=203.0.113.7',
      '--param',
      'at=2026-01-01 00:09',
      '--show-sql',
    ]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('routes_at($at, to_hours($lookback_hours), address := $address)');
    expect(show.stdout).toContain('--   $address = 203.0.113.7 (VARCHAR)');
    expect(show.stdout).toContain('--   $at = 2026-01-01T00:09:00Z (TIMESTAMP WITH TIME ZONE)');
  });

  it('every catalog job prepares against a lake and uses only parameters it declares', async () => {
    for (const j of catalog.list()) {
      for (const [variant, sql] of j.sql) {
        const prepared = await conn.connection.prepare(sql);
        try {
          const declared = new Set(j.params.map((p) => p.name));
          for (let i = 1; i <= prepared.parameterCount; i++) {
            expect(
              declared.has(prepared.parameterName(i)),
              `${j.name} ${variant}: $${prepared.parameterName(i)}`,
            ).toBe(true);
          }
        } finally {
          prepared.destroySync();
        }
      }
      expect(j.summary, j.name).not.toBe('');
      expect(j.description, j.name).not.toBe('');
      expect(j.examples.length, j.name).toBeGreaterThan(0);
      for (const p of j.params) expect(p.description, `${j.name}.${p.name}`).not.toBe('');
    }
  });

  it("every job's documented examples run on the demo lake and return rows", async () => {
    // the examples are shell words: split them, honouring single quotes
    const words = (text: string): string[] => {
      const out: string[] = [];
      let word: string | null = null;
      let quoted = false;
      for (const c of text) {
        if (c === "'") {
          quoted = !quoted;
          word ??= '';
        } else if (/\s/.test(c) && !quoted) {
          if (word !== null) out.push(word);
          word = null;
        } else word = (word ?? '') + c;
      }
      if (word !== null) out.push(word);
      return out;
    };
    for (const j of catalog.list()) {
      for (const example of j.examples) {
        const argv = words(example);
        const r = await runQuery(['--lake', lake, '--job', j.name, ...argv, '--format', 'json']);
        expect(r.code, `${j.name} ${example}: ${r.stderr}`).toBe(0);
        expect(r.stdout.length, `${j.name} ${example}`).toBeGreaterThan(0);
      }
    }
  });

  it('--catalog adds jobs from another folder', async () => {
    const dir = out('my-jobs');
    mkdirSync(dir);
    writeFileSync(
      path.join(dir, 'peers.sql'),
      '-- @job peers\n-- @summary Peers per collector.\n-- @description Counts peers.\n-- @param collector text? Only this collector.\n-- @example --param collector=demo\nSELECT collector, count(DISTINCT peer_asn) AS peers FROM elems WHERE $collector IS NULL OR collector = $collector GROUP BY ALL;\n',
    );
    const r = await runQuery(['--lake', lake, '--catalog', dir, '--job', 'peers', '--format', 'json']);
    expect(r.stdout).toBe(`{"collector":"demo","peers":${DEMO_FACTS.peers.length}}\n`);
  });
});
