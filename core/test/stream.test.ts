import { appendFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bgpreaderElemLine } from '../src/format/bgpreader-line.js';
import type { BgpRecord } from '../src/model/record.js';
import { readMrt } from '../src/mrt/read-mrt.js';
import { BGPStream } from '../src/stream/bgpstream.js';
import { haveSamples, noSamplesMessage, repoRoot, samplePath } from './helpers/samples.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'bgpstream-'));
const demoRib = path.join(repoRoot, 'examples/data/demo/rib.20260101.0000.mrt.gz');
const demoUpdates = path.join(repoRoot, 'examples/data/demo/updates.20260101.0000.mrt.gz');
const DEMO_START = 1767225600;

function csv(name: string, rows: string[]): string {
  const file = path.join(tmp, name);
  writeFileSync(file, `${rows.join('\n')}\n`);
  return file;
}

async function collect(stream: BGPStream): Promise<BgpRecord[]> {
  const out: BgpRecord[] = [];
  for await (const r of stream.records()) out.push(r);
  return out;
}

/** Node 20 has no Array.fromAsync. */
async function toArray<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const key = (r: BgpRecord) =>
  `${r.collector}|${r.type}|${r.timeSec}.${r.timeUsec}|${r.status}|${r.elems.length}`;

describe('merge order', () => {
  it('merges a RIB and an updates dump of the same period: time order, RIB records first at equal seconds', async () => {
    const file = csv('demo.csv', [
      `${demoUpdates},demo,updates,demo,${DEMO_START},900,${DEMO_START}`,
      `${demoRib},demo,ribs,demo,${DEMO_START},120,${DEMO_START}`,
    ]);
    const merged = await collect(
      new BGPStream({ dataInterface: 'csvfile', dataInterfaceOptions: { 'csv-file': file } }),
    );
    // The same records as reading each file alone, nothing lost or duplicated.
    const alone = [
      ...(await toArray(
        readMrt(demoRib, {
          source: { project: 'demo', collector: 'demo', type: 'rib', dumpTime: DEMO_START },
        }),
      )),
      ...(await toArray(
        readMrt(demoUpdates, {
          source: { project: 'demo', collector: 'demo', type: 'update', dumpTime: DEMO_START },
        }),
      )),
    ];
    expect(merged.map(key).sort()).toEqual(alone.map(key).sort());
    for (let i = 1; i < merged.length; i++) {
      const a = merged[i - 1];
      const b = merged[i];
      expect(a.timeSec).toBeLessThanOrEqual(b.timeSec);
      if (a.timeSec === b.timeSec) expect(a.type === 'update' && b.type === 'rib').toBe(false);
    }
    // The updates dump has records in the RIB's second; the whole RIB comes before them.
    const firstUpdate = merged.findIndex((r) => r.type === 'update');
    const lastRib = merged.findLastIndex((r) => r.type === 'rib');
    expect(merged[firstUpdate].timeSec).toBe(DEMO_START);
    expect(lastRib).toBeLessThan(firstUpdate);
  });

  it.skipIf(!haveSamples)('merges two collectors’ update dumps into one time order', async () => {
    if (!haveSamples) return void noSamplesMessage;
    const rrc06 = samplePath('libbgpstream/ris.rrc06.updates.1427846400.gz');
    const jinx = samplePath('libbgpstream/routeviews.route-views.jinx.updates.1427846400.bz2');
    const file = csv('two.csv', [
      `${jinx},routeviews,updates,route-views.jinx,1427846400,900,1430438400`,
      `${rrc06},ris,updates,rrc06,1427846400,300,1430438400`,
    ]);
    const merged = await collect(
      new BGPStream({ dataInterface: 'csvfile', dataInterfaceOptions: { 'csv-file': file } }),
    );
    expect(merged.filter((r) => r.collector === 'rrc06')).toHaveLength(795);
    expect(merged.filter((r) => r.collector === 'route-views.jinx')).toHaveLength(1756);
    for (let i = 1; i < merged.length; i++)
      expect(merged[i - 1].timeSec).toBeLessThanOrEqual(merged[i].timeSec);
    // Records of one second of one file come out together.
    const runs = merged.map((r) => `${r.collector}@${r.timeSec}`);
    const seen = new Set<string>();
    for (let i = 0; i < runs.length; i++) {
      if (i > 0 && runs[i] === runs[i - 1]) continue;
      expect(seen.has(runs[i])).toBe(false);
      seen.add(runs[i]);
    }
  });
});

describe('the API', () => {
  const singlefile = { dataInterface: 'singlefile', dataInterfaceOptions: { 'upd-file': demoUpdates } };

  it('iterates elems with their record, and the filter string applies', async () => {
    const stream = new BGPStream({ ...singlefile, filter: 'elemtype withdrawals and ipv 6' });
    let n = 0;
    for await (const elem of stream) {
      expect(elem.type).toBe('W');
      expect(elem.prefix?.family).toBe(6);
      expect(elem.record?.project).toBe('singlefile');
      n++;
    }
    const all = (await toArray(readMrt(demoUpdates))).flatMap((r) => r.elems);
    expect(n).toBe(all.filter((e) => e.type === 'W' && e.prefix?.family === 6).length);
    expect(n).toBeGreaterThan(0);
  });

  it('getNextRecord/getNextElem walk the same elems as for-await', async () => {
    const s = new BGPStream();
    s.setDataInterface('singlefile');
    s.setDataInterfaceOption('singlefile', 'upd-file', demoUpdates);
    s.addFilter('peer-asn', '4200000001');
    s.start();
    const lines: string[] = [];
    for (let rec = await s.getNextRecord(); rec; rec = await s.getNextRecord()) {
      for (let e = rec.getNextElem(); e; e = rec.getNextElem()) lines.push(bgpreaderElemLine(rec, e));
    }
    const viaIterator: string[] = [];
    for await (const e of new BGPStream({ ...singlefile, filter: 'peer 4200000001' }))
      viaIterator.push(bgpreaderElemLine(e.record!, e));
    expect(lines).toEqual(viaIterator);
    expect(lines.length).toBeGreaterThan(100);
    expect(lines.every((l) => l.split('|')[7] === '4200000001')).toBe(true);
  });

  it('throws at once, naming the bad token, and applies nothing of a bad filter string', async () => {
    const s = new BGPStream(singlefile);
    expect(() => s.parseFilterString('peer 25152 and prefix more 10.0.0.0/33')).toThrow(/10\.0\.0\.0\/33/);
    expect(() => s.addFilter('peer-asn', 'x1')).toThrow(/x1/);
    expect(() => s.addFilter('no-such-filter', '1')).toThrow(/no-such-filter/);
    expect(() => s.setDataInterface('nope')).toThrow(/unknown data interface 'nope'.*singlefile/);
    expect(() => s.setDataInterfaceOption('singlefile', 'rib-fil', 'x')).toThrow(
      /no option 'rib-fil'.*rib-file/,
    );
    expect(() => new BGPStream({ from: 'yesterday' })).toThrow(/yesterday/);
    // The failed string left no peer filter behind: every elem still comes.
    const all = (await toArray(readMrt(demoUpdates))).reduce((n, r) => n + r.elems.length, 0);
    let n = 0;
    for await (const _ of s) n++;
    expect(n).toBe(all);
    expect(() => s.addFilter('peer-asn', '1')).toThrow(/already been started/);
  });

  it('breaking out of the loop releases the files', async () => {
    const fds = () => readdirSync('/proc/self/fd').length;
    const before = fds();
    for (let i = 0; i < 5; i++) {
      for await (const _ of new BGPStream(singlefile)) break;
    }
    expect(fds()).toBeLessThanOrEqual(before + 1);
  });
});

describe('time', () => {
  it('a record past the interval ends its file with an outside-time-interval record', async () => {
    const records = await collect(
      new BGPStream({
        ...{ dataInterface: 'singlefile', dataInterfaceOptions: { 'upd-file': demoUpdates } },
        from: DEMO_START + 60,
        until: DEMO_START + 120,
      }),
    );
    const last = records.at(-1)!;
    expect(last.status).toBe('outside-time-interval');
    expect(last.timeSec).toBeGreaterThan(DEMO_START + 120);
    const valid = records.filter((r) => r.status === 'valid');
    expect(valid.every((r) => r.timeSec >= DEMO_START + 60 && r.timeSec <= DEMO_START + 120)).toBe(true);
    expect(valid[0].dumpPosition).toBe('middle');
    const expected = (await toArray(readMrt(demoUpdates))).filter(
      (r) => r.timeSec >= DEMO_START + 60 && r.timeSec <= DEMO_START + 120,
    );
    expect(valid.length).toBe(expected.length);
  });

  it('accepts dates as strings, numbers and Date objects', async () => {
    const as = async (from: string | number | Date, until: string | number | Date) =>
      (
        await collect(
          new BGPStream({
            dataInterface: 'singlefile',
            dataInterfaceOptions: { 'upd-file': demoUpdates },
            from,
            until,
          }),
        )
      ).length;
    const n = await as('2026-01-01 00:01:00', '2026-01-01 00:02');
    expect(n).toBeGreaterThan(10);
    expect(await as(DEMO_START + 60, DEMO_START + 120)).toBe(n);
    expect(await as(new Date((DEMO_START + 60) * 1000), '2026-01-01T00:02:00Z')).toBe(n);
  });

  it('the RIB period keeps one RIB dump per collector per period', async () => {
    const file = csv('ribs.csv', [
      `${demoRib},demo,ribs,demo,${DEMO_START},120,${DEMO_START}`,
      `${demoRib},demo,ribs,demo,${DEMO_START + 3600},120,${DEMO_START}`,
      `${demoRib},demo,ribs,demo,${DEMO_START + 7200},120,${DEMO_START}`,
    ]);
    const dumps = async (ribPeriod?: number) =>
      new Set(
        (
          await collect(
            new BGPStream({
              dataInterface: 'csvfile',
              dataInterfaceOptions: { 'csv-file': file },
              ribPeriod,
            }),
          )
        ).map((r) => r.dumpTime),
      ).size;
    expect(await dumps()).toBe(3);
    expect(await dumps(7200)).toBe(2);
    expect(await dumps(86400)).toBe(1);
  });
});

describe('live mode', () => {
  it('keeps polling the data interface and delivers dumps that appear later', async () => {
    const now = Math.floor(Date.now() / 1000);
    const file = csv('live.csv', [`${demoRib},demo,ribs,demo,${DEMO_START},120,${now - 10}`]);
    const stream = new BGPStream({
      dataInterface: 'csvfile',
      dataInterfaceOptions: { 'csv-file': file },
      live: true,
      pollInterval: 0.2,
    });
    const seen = new Set<string>();
    let appended = false;
    for await (const record of stream.records()) {
      seen.add(record.type);
      if (!appended && record.type === 'rib' && record.dumpPosition === 'end') {
        // A dump is published while the stream waits: the next poll must find it.
        setTimeout(
          () =>
            appendFileSync(
              file,
              `${demoUpdates},demo,updates,demo,${DEMO_START},900,${Math.floor(Date.now() / 1000) - 1}\n`,
            ),
          300,
        );
        appended = true;
      }
      if (record.type === 'update') break;
    }
    expect([...seen].sort()).toEqual(['rib', 'update']);
  });
});

describe('worker threads', () => {
  const lines = async (workers: number, filter: string, files: string[]) => {
    const file = csv(
      `w${workers}.csv`,
      files.map(
        (f, i) => `${f},demo,${f.includes('rib') ? 'ribs' : 'updates'},c${i},${DEMO_START},900,${DEMO_START}`,
      ),
    );
    const out: string[] = [];
    const stream = new BGPStream({
      dataInterface: 'csvfile',
      dataInterfaceOptions: { 'csv-file': file },
      filter,
      workers,
    });
    for await (const batch of stream.batches()) {
      for (const r of batch) {
        out.push(
          `${r.collector}|${r.type}|${r.timeSec}.${r.timeUsec}|${r.status}|${r.dumpPosition}|${r.error ?? ''}`,
        );
        for (const e of r.elems) out.push(bgpreaderElemLine(r, e));
      }
    }
    return out;
  };

  it('reading and filtering in workers gives exactly the records and elems of the in-thread stream', async () => {
    const files = [demoRib, demoUpdates, demoUpdates];
    for (const filter of [
      'prefix more 10.0.0.0/8 and elemtype ribs announcements',
      'peer 64497 and ipv 6',
      'comm *:3000',
    ]) {
      const inThread = await lines(0, filter, files);
      const inWorkers = await lines(2, filter, files);
      expect(inWorkers.length).toBeGreaterThan(100);
      expect(inWorkers).toEqual(inThread);
    }
  });

  it('stopping early ends the workers’ work and lets the process go on', async () => {
    const file = csv('wstop.csv', [`${demoUpdates},demo,updates,demo,${DEMO_START},900,${DEMO_START}`]);
    let n = 0;
    for await (const _ of new BGPStream({
      dataInterface: 'csvfile',
      dataInterfaceOptions: { 'csv-file': file },
      filter: 'ipv 4',
      workers: 1,
    })) {
      if (++n === 10) break;
    }
    expect(n).toBe(10);
  });
});
