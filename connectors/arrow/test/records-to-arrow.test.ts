import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import {
  AS_CONFED_SEQUENCE,
  AS_SEQUENCE,
  AS_SET,
  AsPath,
  BgpRecord,
  Elem,
  IpAddress,
  PathAttributes,
  Prefix,
  readMrtBatches,
} from '@bgpstream-ts/core';
import { ELEM_COLUMN_NAMES, elemArrowSchema } from '@bgpstream-ts/schemas';
import { type RecordBatch, Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { ElemBatchBuilder, recordsToArrowBatches, writeArrowIpc } from '../src/index.js';
import { arrowRow, expectedRow, features, type Row } from './helpers/expected-row.js';
import { haveSamples, noSamplesMessage, samplePath } from './helpers/samples.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'bgpstream-arrow-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** A record built by hand with every column's hard cases. */
function syntheticRecords(): BgpRecord[] {
  const attrs = new PathAttributes();
  attrs.origin = 2;
  attrs.asPath = new AsPath([
    { type: AS_CONFED_SEQUENCE, asns: [65001] },
    { type: AS_SEQUENCE, asns: [4294967295, 4200000002, 3356] },
    { type: AS_SET, asns: [64512, 2147483648] },
  ]);
  attrs.med = 4294967295;
  attrs.localPref = 100;
  attrs.atomicAggregate = true;
  attrs.aggregator = { asn: 4200000002, address: IpAddress.parse('192.0.2.1') };
  attrs.communities = [((65535 << 16) | 65281) >>> 0, (3356 << 16) | 2];
  attrs.largeCommunities = [4294967295, 1, 2, 64512, 0, 4294967295];
  attrs.extendedCommunities = [Uint8Array.of(0, 2, 0x0d, 0x1c, 0, 0, 0, 1)];
  attrs.onlyToCustomer = 64500;
  const peer6 = IpAddress.parse('2001:db8::1');
  const rec = new BgpRecord(
    'ris',
    'rrc00',
    'update',
    1427846400,
    1427846401,
    999999,
    'valid',
    17,
    4,
    [],
    null,
  );
  rec.elems.push(
    new Elem(
      'A',
      1427846401,
      999999,
      peer6,
      4294967295,
      Prefix.parse('2a02:2e0::/32'),
      7,
      IpAddress.parse('2001:db8::2'),
      attrs,
      0,
      0,
      0,
    ),
    new Elem(
      'A',
      1427846401,
      999999,
      peer6,
      4294967295,
      Prefix.parse('10.0.0.0/8'),
      4294967295,
      IpAddress.parse('2001:db8::2'),
      attrs,
      0,
      0,
      0,
    ),
    new Elem(
      'W',
      1427846401,
      999999,
      peer6,
      4294967295,
      Prefix.parse('0.0.0.0/0'),
      null,
      null,
      null,
      0,
      0,
      0,
    ),
    new Elem('S', 1427846401, 999999, null, 65000, null, null, null, null, 6, 42, 0),
  );
  rec.dumpPosition = 'start';
  const empty = new PathAttributes();
  const rib = new BgpRecord(
    'routeviews',
    'route-views.kixp',
    'rib',
    1427846400,
    1427846400,
    0,
    'valid',
    13,
    2,
    [],
    null,
  );
  rib.elems.push(
    new Elem(
      'R',
      1427846400,
      0,
      IpAddress.parse('196.223.14.1'),
      37100,
      Prefix.parse('196.223.14.0/24'),
      null,
      null,
      empty,
      0,
      0,
      1427000000,
    ),
  );
  rib.router = 'rtr1';
  rib.routerIp = IpAddress.parse('192.0.2.254');
  rib.dumpPosition = 'end';
  return [rec, rib];
}

describe('ElemBatchBuilder', () => {
  it('builds every column of the elem schema, exactly, for hand-made hard cases', () => {
    const records = syntheticRecords();
    const b = new ElemBatchBuilder();
    for (const r of records) b.append(r);
    const batch = b.finish();
    expect(batch.schema.metadata).toEqual(elemArrowSchema().metadata);
    expect(batch.schema.fields.map((f) => f.name)).toEqual(ELEM_COLUMN_NAMES);
    const table = new Table([batch]);
    const expected = records.flatMap((r) => r.elems.map((e) => expectedRow(r, e)));
    expect(table.numRows).toBe(5);
    for (let i = 0; i < expected.length; i++) expect(arrowRow(table, i)).toEqual(expected[i]);
    // Spot checks of the encodings the docs promise.
    expect(arrowRow(table, 1).prefix_network).toBe('00000000000000000000ffff0a000000');
    expect(arrowRow(table, 0).as_path).toBe('(65001) 4294967295 4200000002 3356 {64512,2147483648}');
    expect(arrowRow(table, 0).as_path_segment_types).toEqual([3, 2, 2, 2, 1, 1]);
    expect(arrowRow(table, 0).origin_asns).toEqual([64512, 2147483648]);
    expect(arrowRow(table, 3)).toMatchObject({
      elem_type: 'S',
      old_state: 'ESTABLISHED',
      new_state: '42',
      peer_address: null,
    });
    expect(arrowRow(table, 4)).toMatchObject({
      as_path: '',
      as_path_asns: [],
      origin_asns: [],
      origin: null,
      router: 'rtr1',
    });
  });

  it('emits rows in a given order and sorts by time, prefix family, network, length, then arrival', () => {
    const [rec] = syntheticRecords();
    const b = new ElemBatchBuilder();
    b.append(rec);
    const order = b.sortOrder();
    // S (no prefix) first, then IPv4 0/0, IPv4 10/8, IPv6.
    expect([...order]).toEqual([3, 2, 1, 0]);
    const table = new Table([b.finish(order)]);
    const expected = rec.elems.map((e) => expectedRow(rec, e));
    expect([0, 1, 2, 3].map((i) => arrowRow(table, i))).toEqual([3, 2, 1, 0].map((i) => expected[i]));
  });
  it('emits any subset of the buffered rows, several times, before a reset', () => {
    const records = syntheticRecords();
    const b = new ElemBatchBuilder({ stableDictionaries: false });
    for (const r of records) b.append(r);
    const expected = records.flatMap((r) => r.elems.map((e) => expectedRow(r, e)));
    for (const rows of [[4, 0], [2], [1, 3, 0, 2, 4], []]) {
      const table = new Table([b.emit(Uint32Array.from(rows))]);
      expect(rows.map((_, i) => arrowRow(table, i))).toEqual(rows.map((r) => expected[r]));
    }
    expect(() => b.emit(Uint32Array.of(5))).toThrow(/not buffered/);
    expect(b.length).toBe(5);
    b.reset();
    expect(b.length).toBe(0);
  });

  it('gives the same bytes for the same rows, fresh or reused after a reset (nothing stale under nulls)', () => {
    const [update, rib] = syntheticRecords();
    const ipc = (b: ElemBatchBuilder) => Buffer.from(tableToIPC(new Table([b.finish()]), 'stream'));
    const fresh = new ElemBatchBuilder({ stableDictionaries: false });
    fresh.append(update);
    fresh.append(rib);
    const expected = ipc(fresh);
    // First rows with every attribute column set (and an origination time) where the W and S rows
    // (no attributes, no origination time) go next.
    const reused = new ElemBatchBuilder({ stableDictionaries: false });
    reused.append(rib);
    reused.append(update, 0, 2);
    reused.append(update, 0, 2);
    ipc(reused);
    reused.append(update);
    reused.append(rib);
    expect(ipc(reused)).toEqual(expected);
  });
});

describe('recordsToArrowBatches + writeArrowIpc', () => {
  it('cuts batches at batchSize, inside records too, and round-trips IPC stream and file formats', async () => {
    const records = syntheticRecords();
    const batches = await collect(recordsToArrowBatches(records, { batchSize: 2 }));
    expect(batches.map((b) => b.numRows)).toEqual([2, 2, 1]);
    const expected = records.flatMap((r) => r.elems.map((e) => expectedRow(r, e)));
    for (const format of ['stream', 'file'] as const) {
      const file = path.join(tmp, `synthetic.${format}.arrow`);
      const summary = await writeArrowIpc(batches, file, { format });
      expect(summary).toMatchObject({ batches: 3, rows: 5 });
      const bytes = readFileSync(file);
      expect(summary.bytes).toBe(bytes.length);
      if (format === 'file') expect(bytes.subarray(0, 6).toString()).toBe('ARROW1');
      const table = tableFromIPC(bytes);
      expect(table.numRows).toBe(5);
      for (let i = 0; i < 5; i++) expect(arrowRow(table, i)).toEqual(expected[i]);
    }
  });

  it('writes to a Writable and writes a schema-only stream for no input', async () => {
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    const summary = await writeArrowIpc(recordsToArrowBatches([]), sink);
    expect(summary).toMatchObject({ batches: 0, rows: 0 });
    const table = tableFromIPC(Buffer.concat(chunks));
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual(ELEM_COLUMN_NAMES);
    expect(table.schema.metadata.get('bgpstream.elem_schema_version')).toBe('1');
  });
});

// Each sample with the features it must show; `all`: compare every row, else a spread sample.
const SAMPLES: { file: string; all: boolean; must: (keyof typeof features)[] }[] = [
  {
    file: 'frr-bird-lab/frr-updates.mrt',
    all: true,
    must: ['asnAbove2e31', 'ipv6Prefix', 'asSet', 'largeCommunities', 'pathId'],
  },
  {
    file: 'frr-bird-lab/frr-rib.mrt',
    all: true,
    must: ['ipv6Prefix', 'asSet', 'largeCommunities', 'pathId'],
  },
  { file: 'bgpdump-test_data/bview.ipv4_unicast_add_path.gz', all: true, must: ['pathId'] },
  { file: 'bgpdump-test_data/updates.20100722.2015.gz', all: false, must: ['ipv6Prefix'] },
  { file: 'mrtparse/openbgpd_rib_table', all: true, must: ['ipv6Prefix'] },
  { file: 'bgpdump-test_data/updates.20070211.0141.gz', all: false, must: ['ipv6Prefix', 'asSet'] },
];

describe.skipIf(!haveSamples)(
  `real dumps through Arrow IPC ${haveSamples ? '' : `(${noSamplesMessage})`}`,
  () => {
    for (const sample of SAMPLES) {
      it(`${sample.file}: every column of ${sample.all ? 'every row' : 'a sample of rows'} equals the decoder's elems`, async () => {
        const source = {
          project: sample.file.split('/')[0],
          collector: path.basename(sample.file),
          dumpTime: 1427846400,
        };
        // The oracle: the decoder's records, read separately.
        const expected: Row[] = [];
        for await (const batch of readMrtBatches(samplePath(sample.file), { source })) {
          for (const r of batch) for (const e of r.elems) expected.push(expectedRow(r, e));
        }
        const file = path.join(tmp, `${path.basename(sample.file)}.arrows`);
        const batches = recordsToArrowBatches(readMrtBatches(samplePath(sample.file), { source }), {
          batchSize: 1000,
        });
        const summary = await writeArrowIpc(batches, file);
        expect(summary.rows).toBe(expected.length);
        const table = tableFromIPC(readFileSync(file));
        expect(table.numRows).toBe(expected.length);
        const step = sample.all ? 1 : Math.max(1, Math.floor(expected.length / 500));
        const rows = new Set<number>();
        for (let i = 0; i < expected.length; i += step) rows.add(i);
        // Always include the rows that show each feature.
        for (const f of sample.must) {
          const i = expected.findIndex(features[f]);
          expect(i, `${sample.file} has no row with ${f}`).toBeGreaterThanOrEqual(0);
          rows.add(i);
        }
        for (const i of rows) expect(arrowRow(table, i), `row ${i}`).toEqual(expected[i]);
      });
    }

    it('the 4-byte ASN 4200000002 of frr-updates.mrt comes back exact', async () => {
      const batches: RecordBatch[] = await collect(
        recordsToArrowBatches(readMrtBatches(samplePath('frr-bird-lab/frr-updates.mrt'))),
      );
      const table = new Table(batches);
      const asns = new Set<number>();
      for (let i = 0; i < table.numRows; i++) {
        const r = arrowRow(table, i);
        asns.add(r.peer_asn as number);
        for (const a of (r.as_path_asns as number[] | null) ?? []) asns.add(a);
      }
      expect(asns.has(4200000002)).toBe(true);
    });
  },
);
