import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArchiveDataInterface, archiveType } from '../src/datainterfaces/archive.js';
import { getDataInterfaceType } from '../src/datainterfaces/index.js';
import type { Resource, ResourceQuery } from '../src/datainterfaces/resource.js';
import { emptyQuery } from '../src/datainterfaces/resource.js';

/** 2015-04-01 00:00 UTC. */
const T = 1427846400;

/**
 * A mirror with both layouts. Files hold a few made-up bytes: the archive interface never opens
 * them. route-views2 lives at `<root>/bgpdata`, as on archive.routeviews.org.
 */
const FILES = [
  'bgpdata/2015.02/UPDATES/updates.20150228.2345.bz2',
  'bgpdata/2015.03/RIBS/rib.20150331.2200.bz2',
  'bgpdata/2015.03/UPDATES/updates.20150331.2345.bz2',
  'bgpdata/2015.04/RIBS/rib.20150401.0000.bz2',
  'bgpdata/2015.04/RIBS/rib.20150401.0200.bz2',
  'bgpdata/2015.04/UPDATES/updates.20150401.0000.bz2',
  'bgpdata/2015.04/UPDATES/updates.20150401.0015.bz2',
  'bgpdata/2015.04/UPDATES/updates.20150401.0030.bz2',
  'route-views.jinx/bgpdata/2015.04/RIBS/rib.20150401.0000.bz2',
  'route-views.jinx/bgpdata/2015.04/UPDATES/updates.20150401.0000.bz2',
  'rrc06/2014.12/updates.20141201.0000.gz',
  'rrc06/2015.03/updates.20150331.2355.gz',
  'rrc06/2015.04/bview.20150401.0000.gz',
  'rrc06/2015.04/updates.20150401.0000.gz',
  'rrc06/2015.04/updates.20150401.0005.gz',
];
/** Things that are not dumps: ignored. */
const NOISE = [
  'README.txt',
  'rrc06/2015.04/updates.20150401.0010.gz.tmp',
  'rrc06/2015.04/updates.20150431.0000.gz',
  'rrc06/latest/bview.gz',
  'bgpdata/2015.04/UPDATES/updates.20150401.0045.gz',
  'lost+found/x',
  'misc/2015.04/updates.20150401.0000.gz',
];

let root = '';

function touch(rel: string): void {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, 'MRT?');
}

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'archive-di-'));
  for (const f of [...FILES, ...NOISE]) touch(f);
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function archive(options: Record<string, string> = {}): ArchiveDataInterface {
  const di = archiveType.create() as ArchiveDataInterface;
  di.setOption('path', root);
  for (const [k, v] of Object.entries(options)) di.setOption(k, v);
  di.validate();
  return di;
}

function query(fields: Partial<ResourceQuery> = {}): ResourceQuery {
  return { ...emptyQuery(), ...fields };
}

/** `collector type time` of each resource, time relative to T, for compact expectations. */
function brief(rs: Resource[]): string[] {
  return rs.map((r) => `${r.collector} ${r.type} ${r.initialTime - T}`);
}

const rel = (dirs: string[]) => dirs.map((d) => path.relative(root, d) || '.');

describe('archive options', () => {
  it('is registered with its options', () => {
    expect(getDataInterfaceType('archive').options.map((o) => [o.name, o.defaultValue])).toEqual([
      ['path', undefined],
      ['layout', 'auto'],
      ['project', undefined],
    ]);
  });

  it('rejects bad options and a missing or non-folder path', () => {
    const di = archiveType.create();
    expect(() => di.setOption('root', root)).toThrow(/no option 'root'/);
    expect(() => di.setOption('layout', 'isolario')).toThrow(/'layout'.*isolario/);
    expect(() => di.validate()).toThrow(/'path' option must be set/);
    di.setOption('path', path.join(root, 'nope'));
    expect(() => di.validate()).toThrow(/cannot use/);
    di.setOption('path', path.join(root, 'README.txt'));
    expect(() => di.validate()).toThrow(/not a folder/);
  });
});

describe('archive discovery', () => {
  it('finds every dump of both layouts by name, sorted by time with RIBs first', async () => {
    const got = await archive().nextResources(query());
    expect(got).toHaveLength(FILES.length);
    expect(new Set(got.map((r) => path.relative(root, r.url)))).toEqual(new Set(FILES));
    expect(got.map((r) => r.initialTime)).toEqual([...got.map((r) => r.initialTime)].sort((a, b) => a - b));
    const atT = got.filter((r) => r.initialTime === T);
    expect(atT.map((r) => `${r.project} ${r.collector} ${r.type} ${r.duration}`)).toEqual([
      'ris rrc06 rib 120',
      'routeviews route-views.jinx rib 120',
      'routeviews route-views2 rib 120',
      'ris rrc06 update 300',
      'routeviews route-views.jinx update 900',
      'routeviews route-views2 update 900',
    ]);
    expect(got.every((r) => r.format === 'mrt')).toBe(true);
    expect(got[0]).toEqual({
      url: path.join(root, 'rrc06/2014.12/updates.20141201.0000.gz'),
      format: 'mrt',
      project: 'ris',
      collector: 'rrc06',
      type: 'update',
      initialTime: Date.UTC(2014, 11, 1) / 1000,
      duration: 300,
    });
  });

  it('filters by collector without reading the other collectors', async () => {
    const di = archive();
    const got = await di.nextResources(query({ collectors: new Set(['rrc06']) }));
    expect(new Set(got.map((r) => r.collector))).toEqual(new Set(['rrc06']));
    expect(got).toHaveLength(5);
    expect(rel(di.dirsRead)).toEqual(['.', 'rrc06', 'rrc06/2014.12', 'rrc06/2015.03', 'rrc06/2015.04']);

    const rv2 = archive();
    const only2 = await rv2.nextResources(query({ collectors: new Set(['route-views2']) }));
    expect(new Set(only2.map((r) => r.collector))).toEqual(new Set(['route-views2']));
    expect(rel(rv2.dirsRead).some((d) => d.startsWith('route-views.jinx') || d.startsWith('rrc06'))).toBe(
      false,
    );
  });

  it('filters by record type, reading only the RIBS folders of RouteViews', async () => {
    const di = archive();
    const got = await di.nextResources(query({ recordTypes: new Set(['rib']) }));
    expect(brief(got)).toEqual([
      'route-views2 rib -7200',
      'rrc06 rib 0',
      'route-views.jinx rib 0',
      'route-views2 rib 0',
      'route-views2 rib 7200',
    ]);
    expect(rel(di.dirsRead).filter((d) => d.endsWith('UPDATES'))).toEqual([]);
  });

  it('filters by project (and takes a project override)', async () => {
    expect(
      new Set((await archive().nextResources(query({ projects: new Set(['ris']) }))).map((r) => r.collector)),
    ).toEqual(new Set(['rrc06']));
    const mirrored = await archive({ project: 'mirror' }).nextResources(
      query({ projects: new Set(['mirror']) }),
    );
    expect(mirrored).toHaveLength(FILES.length);
    expect(await archive({ project: 'mirror' }).nextResources(query({ projects: new Set(['ris']) }))).toEqual(
      [],
    );
  });

  it('keeps a dump when [time, time + duration] meets [begin - 120, end]: the edges', async () => {
    const at = async (begin: number, end: number, collector: string) =>
      brief(
        await archive().nextResources(query({ collectors: new Set([collector]), interval: { begin, end } })),
      );
    // RouteViews updates of 00:30 (900 s): wanted until begin = 00:30 + 900 + 120.
    expect(await at(T + 1800 + 1020, 0, 'route-views2')).toEqual([
      'route-views2 update 1800',
      'route-views2 rib 7200',
    ]);
    expect(await at(T + 1800 + 1021, 0, 'route-views2')).toEqual(['route-views2 rib 7200']);
    // A RIB (120 s) is wanted when its time is within [begin - 240, end].
    expect(await at(T + 7200 + 240, 0, 'route-views2')).toEqual(['route-views2 rib 7200']);
    expect(await at(T + 7200 + 241, 0, 'route-views2')).toEqual([]);
    // RIS updates (300 s).
    expect(await at(T + 300 + 420, T + 3600, 'rrc06')).toEqual(['rrc06 update 300']);
    expect(await at(T + 300 + 421, T + 3600, 'rrc06')).toEqual([]);
    // The end is inclusive.
    expect(await at(T - 100, T, 'rrc06')).toEqual(['rrc06 update -300', 'rrc06 rib 0', 'rrc06 update 0']);
    expect(await at(T - 100, T - 1, 'rrc06')).toEqual(['rrc06 update -300']);
    // The last March dump reaches into April: 23:55 + 300 s = 00:00.
    expect(await at(T + 60, T + 60, 'rrc06')).toEqual(['rrc06 update -300', 'rrc06 rib 0', 'rrc06 update 0']);
  });

  it('lists only the month folders that can hold a wanted dump', async () => {
    const di = archive();
    await di.nextResources(query({ interval: { begin: T + 3600, end: T + 7200 } }));
    expect(rel(di.dirsRead)).toEqual([
      '.',
      'bgpdata',
      'bgpdata/2015.04/RIBS',
      'bgpdata/2015.04/UPDATES',
      'route-views.jinx/bgpdata',
      'route-views.jinx/bgpdata/2015.04/RIBS',
      'route-views.jinx/bgpdata/2015.04/UPDATES',
      'rrc06',
      'rrc06/2015.04',
    ]);

    // A window at the very start of April also needs March: its last dump runs into April.
    const early = archive();
    await early.nextResources(query({ interval: { begin: T, end: T + 60 } }));
    expect(rel(early.dirsRead).filter((d) => /20\d\d\.\d\d/.test(d))).toEqual([
      'bgpdata/2015.03/RIBS',
      'bgpdata/2015.03/UPDATES',
      'bgpdata/2015.04/RIBS',
      'bgpdata/2015.04/UPDATES',
      'route-views.jinx/bgpdata/2015.04/RIBS',
      'route-views.jinx/bgpdata/2015.04/UPDATES',
      'rrc06/2015.03',
      'rrc06/2015.04',
    ]);

    // And a window inside March never reads April, nor February, nor December.
    const march = archive();
    const got = await march.nextResources(query({ interval: { begin: T - 3600, end: T - 60 } }));
    // The RIB of 22:00 is more than 240 s before the window: not wanted.
    expect(brief(got)).toEqual(['route-views2 update -900', 'rrc06 update -300']);
    expect(rel(march.dirsRead).filter((d) => /20\d\d\.\d\d/.test(d))).toEqual([
      'bgpdata/2015.03/RIBS',
      'bgpdata/2015.03/UPDATES',
      'rrc06/2015.03',
    ]);
  });

  it('follows a forced layout', async () => {
    const ris = await archive({ layout: 'ris' }).nextResources(query());
    expect(new Set(ris.map((r) => `${r.project} ${r.collector}`))).toEqual(
      new Set(['ris rrc06', 'ris misc']),
    );
    const rv = await archive({ layout: 'routeviews' }).nextResources(query());
    expect(new Set(rv.map((r) => r.collector))).toEqual(new Set(['route-views2', 'route-views.jinx']));
    expect(rv.every((r) => r.project === 'routeviews')).toBe(true);
  });

  it('live: a later call returns only the files that appeared since', async () => {
    const liveRoot = mkdtempSync(path.join(tmpdir(), 'archive-live-'));
    try {
      mkdirSync(path.join(liveRoot, 'rrc00/2015.04'), { recursive: true });
      writeFileSync(path.join(liveRoot, 'rrc00/2015.04/updates.20150401.0000.gz'), '');
      const di = archiveType.create();
      di.setOption('path', liveRoot);
      di.validate();
      const q = query({ interval: { begin: T, end: 0 } });
      expect(brief(await di.nextResources(q))).toEqual(['rrc00 update 0']);
      expect(await di.nextResources(q)).toEqual([]);
      writeFileSync(path.join(liveRoot, 'rrc00/2015.04/updates.20150401.0005.gz'), '');
      mkdirSync(path.join(liveRoot, 'rrc00/2015.05'));
      writeFileSync(path.join(liveRoot, 'rrc00/2015.05/bview.20150501.0000.gz'), '');
      expect(brief(await di.nextResources(q))).toEqual(['rrc00 update 300', 'rrc00 rib 2592000']);
      expect(await di.nextResources(q)).toEqual([]);
    } finally {
      rmSync(liveRoot, { recursive: true, force: true });
    }
  });
});
