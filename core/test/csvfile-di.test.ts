import { appendFileSync, copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvfileType, parseCsv } from '../src/datainterfaces/csvfile.js';
import type { Resource, ResourceQuery } from '../src/datainterfaces/resource.js';
import { emptyQuery } from '../src/datainterfaces/resource.js';
import { repoRoot } from './helpers/samples.js';

const FIXTURES =
  process.env.LIBBGPSTREAM_FIXTURES ?? path.resolve(repoRoot, '../shared/libbgpstream-test-fixtures');
const CSV = path.join(FIXTURES, 'csv_test.csv');
const haveCsv = existsSync(CSV);
const T = 1427846400;

const tmp = mkdtempSync(path.join(tmpdir(), 'csvfile-di-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function csvfile(file = CSV) {
  const di = csvfileType.create();
  di.setOption('csv-file', file);
  di.validate();
  return di;
}

function query(fields: Partial<ResourceQuery> = {}): ResourceQuery {
  return { ...emptyQuery(), ...fields };
}

const brief = (rs: Resource[]) => rs.map((r) => `${r.collector} ${r.type} ${r.duration}`);

// These tests check the resources only. The CSV's paths are relative (the reference runs its test
// from the folder holding the dumps); of the four dumps only the two update files exist, in
// ../mrt-samples/libbgpstream/, so no test here opens them.
describe.skipIf(!haveCsv)('csvfile over the reference test CSV', () => {
  if (!haveCsv) it.skip(`${CSV} not found (set LIBBGPSTREAM_FIXTURES): skipping`, () => {});

  it('gives the 4 rows as file + MRT resources, paths as written', async () => {
    expect(await csvfile().nextResources(query())).toEqual<Resource[]>([
      {
        url: 'routeviews.route-views.jinx.ribs.1427846400.bz2',
        format: 'mrt',
        project: 'routeviews',
        collector: 'route-views.jinx',
        type: 'rib',
        initialTime: T,
        duration: 120,
      },
      {
        url: 'routeviews.route-views.jinx.updates.1427846400.bz2',
        format: 'mrt',
        project: 'routeviews',
        collector: 'route-views.jinx',
        type: 'update',
        initialTime: T,
        duration: 900,
      },
      {
        url: 'ris.rrc06.ribs.1427846400.gz',
        format: 'mrt',
        project: 'ris',
        collector: 'rrc06',
        type: 'rib',
        initialTime: T,
        duration: 120,
      },
      {
        url: 'ris.rrc06.updates.1427846400.gz',
        format: 'mrt',
        project: 'ris',
        collector: 'rrc06',
        type: 'update',
        initialTime: T,
        duration: 300,
      },
    ]);
  });

  it('filters by collector, project and type', async () => {
    expect(brief(await csvfile().nextResources(query({ collectors: new Set(['rrc06']) })))).toEqual([
      'rrc06 rib 120',
      'rrc06 update 300',
    ]);
    expect(brief(await csvfile().nextResources(query({ projects: new Set(['routeviews']) })))).toEqual([
      'route-views.jinx rib 120',
      'route-views.jinx update 900',
    ]);
    expect(brief(await csvfile().nextResources(query({ recordTypes: new Set(['update']) })))).toEqual([
      'route-views.jinx update 900',
      'rrc06 update 300',
    ]);
  });

  it('keeps a row when file_time >= begin - 1020 and file_time <= end, whatever its duration', async () => {
    const at = async (begin: number, end: number) =>
      (await csvfile().nextResources(query({ interval: { begin, end } }))).length;
    expect(await at(T + 1020, 0)).toBe(4);
    expect(await at(T + 1021, 0)).toBe(0);
    expect(await at(T - 600, T)).toBe(4);
    expect(await at(T - 600, T - 1)).toBe(0);
    // No wrap-around below zero (the reference's unsigned begin - 1020 wraps when begin < 1020).
    expect(await at(0, 0)).toBe(4);
  });

  it('live: a re-poll returns nothing new, and then only rows added since', async () => {
    const file = path.join(tmp, 'live.csv');
    copyFileSync(CSV, file);
    const di = csvfile(file);
    expect(await di.nextResources(query())).toHaveLength(4);
    expect(await di.nextResources(query())).toEqual([]);
    // The reference forgets its high-water mark after an empty poll and re-adds every row here.
    expect(await di.nextResources(query())).toEqual([]);
    const now = Math.floor(Date.now() / 1000);
    appendFileSync(file, `ris.rrc06.updates.1427846700.gz,ris,updates,rrc06,${T + 300},300,${now - 10}\n`);
    // A row stamped in the future waits until it is at least a second old.
    appendFileSync(file, `ris.rrc06.updates.1427847000.gz,ris,updates,rrc06,${T + 600},300,${now + 3600}\n`);
    expect(brief(await di.nextResources(query()))).toEqual(['rrc06 update 300']);
    expect(await di.nextResources(query())).toEqual([]);
  });
});

describe('csvfile rows', () => {
  it('requires csv-file and names bad rows', async () => {
    expect(() => csvfileType.create().validate()).toThrow(/'csv-file' option must be set/);
    const file = path.join(tmp, 'bad.csv');
    writeFileSync(file, 'a.gz,ris,updates,rrc06,1,300\n');
    await expect(csvfile(file).nextResources(query())).rejects.toThrow(
      `${file}:1: expected 7 columns, found 6`,
    );
    writeFileSync(file, '\na.gz,ris,rib,rrc06,1,300,1\n');
    await expect(csvfile(file).nextResources(query())).rejects.toThrow(`${file}:2: type 'rib'`);
  });

  it('parses RFC 4180 fields strictly, as libcsv in strict mode', () => {
    expect([...parseCsv('a,"b,c",d\r\n\n"x""y",z')]).toEqual([
      [1, ['a', 'b,c', 'd']],
      [3, ['x"y', 'z']],
    ]);
    expect([...parseCsv('"a\nb",c\nd')]).toEqual([
      [1, ['a\nb', 'c']],
      [3, ['d']],
    ]);
    expect([...parseCsv('a"b,c')]).toEqual([[1, ['a"b', 'c']]]);
    expect(() => [...parseCsv('x,"unterminated\n', 'f.csv')]).toThrow('f.csv:1: unterminated quoted field');
    expect(() => [...parseCsv('ok\n"ab"cd,e', 'f.csv')]).toThrow(`f.csv:2: 'c' after the closing quote`);
  });
});
