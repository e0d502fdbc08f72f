import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import initSqlJs from 'sql.js';
import { afterAll, describe, expect, it } from 'vitest';
import { getDataInterfaceType } from '../src/datainterfaces/index.js';
import type { Resource, ResourceQuery } from '../src/datainterfaces/resource.js';
import { emptyQuery } from '../src/datainterfaces/resource.js';
import { sqliteType } from '../src/datainterfaces/sqlite.js';
import { repoRoot } from './helpers/samples.js';

const FIXTURES =
  process.env.LIBBGPSTREAM_FIXTURES ?? path.resolve(repoRoot, '../shared/libbgpstream-test-fixtures');
const DB = path.join(FIXTURES, 'sqlite_test.db');
const haveDb = existsSync(DB);
const T = 1427846400;

function sqlite(file = DB) {
  const di = sqliteType.create();
  di.setOption('db-file', file);
  di.validate();
  return di;
}

function query(fields: Partial<ResourceQuery> = {}): ResourceQuery {
  return { ...emptyQuery(), ...fields };
}

const brief = (rs: Resource[]) => rs.map((r) => `${r.collector} ${r.type} ${r.duration}`);

const tmp = mkdtempSync(path.join(tmpdir(), 'sqlite-di-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A copy of the fixture with extra `bgp_data` rows, written with sql.js. */
async function copyWithRows(name: string, rows: [number, number, number, string, number][]): Promise<string> {
  const wasm = createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm');
  const SQL = await initSqlJs({ locateFile: () => wasm });
  const db = new SQL.Database(readFileSync(DB));
  for (const row of rows) db.run('INSERT INTO bgp_data VALUES (?, ?, ?, ?, ?)', row);
  const file = path.join(tmp, name);
  writeFileSync(file, db.export());
  db.close();
  return file;
}

describe('sqlite options', () => {
  it('is registered with the db-file option', () => {
    const type = getDataInterfaceType('sqlite');
    expect(type.description).toBe('Retrieve metadata information from an SQLite database');
    expect(type.options.map((o) => o.name)).toEqual(['db-file']);
  });

  it('requires an existing db-file and rejects unknown options', () => {
    const di = sqliteType.create();
    expect(() => di.setOption('file', DB)).toThrow(/no option 'file'/);
    expect(() => di.validate()).toThrow(/'db-file' option must be set/);
    di.setOption('db-file', path.join(tmp, 'missing.db'));
    expect(() => di.validate()).toThrow(/does not exist/);
  });
});

describe.skipIf(!haveDb)('sqlite over the reference test database', () => {
  if (!haveDb) it.skip(`${DB} not found (set LIBBGPSTREAM_FIXTURES): skipping`, () => {});

  it('gives the 4 rows, newest file_time first and updates before ribs, paths beside the database', async () => {
    const got = await sqlite().nextResources(query());
    expect(got).toEqual<Resource[]>([
      {
        url: path.join(FIXTURES, 'routeviews.route-views.jinx.updates.1427846400.bz2'),
        format: 'mrt',
        project: 'routeviews',
        collector: 'route-views.jinx',
        type: 'update',
        initialTime: T,
        duration: 900,
      },
      {
        url: path.join(FIXTURES, 'ris.rrc06.updates.1427846400.gz'),
        format: 'mrt',
        project: 'ris',
        collector: 'rrc06',
        type: 'update',
        initialTime: T,
        duration: 300,
      },
      {
        url: path.join(FIXTURES, 'routeviews.route-views.jinx.ribs.1427846400.bz2'),
        format: 'mrt',
        project: 'routeviews',
        collector: 'route-views.jinx',
        type: 'rib',
        initialTime: T,
        duration: 120,
      },
      {
        url: path.join(FIXTURES, 'ris.rrc06.ribs.1427846400.gz'),
        format: 'mrt',
        project: 'ris',
        collector: 'rrc06',
        type: 'rib',
        initialTime: T,
        duration: 120,
      },
    ]);
  });

  it('filters by project, collector and type', async () => {
    expect(brief(await sqlite().nextResources(query({ projects: new Set(['routeviews']) })))).toEqual([
      'route-views.jinx update 900',
      'route-views.jinx rib 120',
    ]);
    expect(brief(await sqlite().nextResources(query({ collectors: new Set(['rrc06', 'nope']) })))).toEqual([
      'rrc06 update 300',
      'rrc06 rib 120',
    ]);
    expect(brief(await sqlite().nextResources(query({ recordTypes: new Set(['rib']) })))).toEqual([
      'route-views.jinx rib 120',
      'rrc06 rib 120',
    ]);
    expect(
      brief(
        await sqlite().nextResources(
          query({ projects: new Set(['ris']), collectors: new Set(['route-views.jinx']) }),
        ),
      ),
    ).toEqual([]);
  });

  it('binds filter values instead of pasting them', async () => {
    expect(await sqlite().nextResources(query({ projects: new Set(["ris' OR '1'='1"]) }))).toEqual([]);
  });

  it('keeps a row when file_time >= begin - time_span - 120 and file_time <= end', async () => {
    const at = async (begin: number, end: number) =>
      brief(await sqlite().nextResources(query({ interval: { begin, end } })));
    // ribs: 120 + 120 s of slack; RIS updates 300 + 120; RouteViews updates 900 + 120.
    expect(await at(T + 240, T + 3600)).toEqual([
      'route-views.jinx update 900',
      'rrc06 update 300',
      'route-views.jinx rib 120',
      'rrc06 rib 120',
    ]);
    expect(await at(T + 241, T + 3600)).toEqual(['route-views.jinx update 900', 'rrc06 update 300']);
    expect(await at(T + 420, T + 3600)).toEqual(['route-views.jinx update 900', 'rrc06 update 300']);
    expect(await at(T + 421, T + 3600)).toEqual(['route-views.jinx update 900']);
    expect(await at(T + 1020, T + 3600)).toEqual(['route-views.jinx update 900']);
    expect(await at(T + 1021, T + 3600)).toEqual([]);
    expect(await at(T - 3600, T)).toHaveLength(4);
    expect(await at(T - 3600, T - 1)).toEqual([]);
  });

  it('takes an open-ended interval (the reference fails on a dangling AND)', async () => {
    expect(await sqlite().nextResources(query({ interval: { begin: T + 300, end: 0 } }))).toHaveLength(2);
  });

  it('live: a second call returns only rows added since the first', async () => {
    const di = sqlite();
    expect(await di.nextResources(query())).toHaveLength(4);
    expect(await di.nextResources(query())).toEqual([]);
  });

  it('live: a row added after a poll comes with the next poll', async () => {
    const now = Math.floor(Date.now() / 1000);
    // One row stamped 2 s from now (not visible before it is a second old), one an hour ago.
    const file = await copyWithRows('live.db', [
      [2, 2, T + 300, 'ris.rrc06.updates.1427846700.gz', now + 2],
      [2, 2, T + 600, 'ris.rrc06.updates.1427847000.gz', now - 3600],
    ]);
    const di = sqlite(file);
    const first = await di.nextResources(query());
    expect(first.map((r) => r.initialTime - T)).toEqual([600, 0, 0, 0, 0]);
    await new Promise((r) => setTimeout(r, (now + 3) * 1000 + 50 - Date.now()));
    const second = await di.nextResources(query());
    expect(second.map((r) => [r.collector, r.initialTime - T, path.basename(r.url)])).toEqual([
      ['rrc06', 300, 'ris.rrc06.updates.1427846700.gz'],
    ]);
    expect(await di.nextResources(query())).toEqual([]);
  });

  it('keeps absolute paths and URLs as they are', async () => {
    const file = await copyWithRows('urls.db', [
      [1, 2, T + 900, '/abs/updates.20150401.0015.bz2', 1],
      [2, 2, T + 300, 'https://data.ris.ripe.net/rrc06/2015.04/updates.20150401.0005.gz', 1],
    ]);
    const got = await sqlite(file).nextResources(query({ interval: { begin: T + 421, end: 0 } }));
    expect(got.map((r) => r.url)).toEqual([
      '/abs/updates.20150401.0015.bz2',
      'https://data.ris.ripe.net/rrc06/2015.04/updates.20150401.0005.gz',
      // Relative: beside the database copy.
      path.join(tmp, 'routeviews.route-views.jinx.updates.1427846400.bz2'),
    ]);
  });
});
