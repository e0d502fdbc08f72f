/**
 * The two libbgpstream sample files exported as json, arrow and mrt into the development broker,
 * read back with kafkajs, with kcat (librdkafka) and through the `kafka` data interface, and compared
 * with what the decoder gives for the files themselves.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AsPath,
  BGPStream,
  type BgpRecord,
  bgpreaderElemLine,
  concatRecords,
  type Elem,
  encodePeerIndexTable,
  encodeRibRecord,
  IpAddress,
  PathAttributes,
  Prefix,
  readMrtBatches,
} from '@bgpstream-ts/core';
import { ELEM_SCHEMA_VERSION, elemMessageJsonSchema, KAFKA_HEADERS as H } from '@bgpstream-ts/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dumpKey,
  elemToJson,
  exportToKafka,
  formatKafkaExportSummary,
  type KafkaExportProgress,
  kafkaExport,
  parseRecordId,
  partitionForKey,
  recordId,
} from '../src/index.js';
import { elemKey, peerKey } from '../src/partitioner.js';
import { arrowMessageRows } from './helpers/arrow.js';
import { type RunningBroker, startDevBroker } from './helpers/broker.js';
import { type Consumed, consumeAll } from './helpers/consume.js';
import { validate } from './helpers/json-schema.js';
import { KCAT, kcatAvailable, runKcat } from './helpers/kcat.js';
import { readSample, SAMPLES, samplesCsv, samplesPresent } from './helpers/samples.js';

const kcat = kcatAvailable();
if (!kcat) console.warn(`kcat parts SKIPPED: ${KCAT} is not installed`);
const PARTITIONS = 3;

interface Expected {
  record: BgpRecord;
  elem?: Elem;
}

describe.skipIf(!samplesPresent)('export of the libbgpstream samples, read back', () => {
  let broker: RunningBroker;
  let tmp: string;
  let csv: string;
  const records: BgpRecord[] = [];
  /** Record id (with elem index for elems) → what the decoder made of the files. */
  const expected = new Map<string, Expected>();
  let totalElems = 0;

  beforeAll(async () => {
    broker = await startDevBroker();
    tmp = mkdtempSync(join(tmpdir(), 'kafka-roundtrip-'));
    csv = join(tmp, 'samples.csv');
    writeFileSync(csv, samplesCsv());
    for (const s of SAMPLES) {
      const recs = await readSample(s);
      recs.forEach((r, i) => {
        const dk = dumpKey(r);
        expected.set(recordId(dk, i), { record: r });
        r.elems.forEach((e, j) => {
          expected.set(recordId(dk, i, j), { record: r, elem: e });
        });
        totalElems += r.elems.length;
      });
      records.push(...recs);
    }
  });

  afterAll(async () => {
    await broker?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const topicsOf = (format: string) => SAMPLES.map((s) => `${format}.${s.project}.${s.collector}`);

  /** Within each partition, the messages of each key in time order and in record-id order. */
  function checkOrderPerKey(messages: Consumed[], timeOf: (m: Consumed) => number) {
    const last = new Map<string, { t: number; rec: number; el: number }>();
    for (const m of messages) {
      const id = parseRecordId(m.headers[H.recordId]);
      expect(id).not.toBeNull();
      const k = `${m.topic}/${m.partition}/${m.key}/${id?.dump}`;
      const now = { t: timeOf(m), rec: id?.recordIndex ?? 0, el: id?.elemIndex ?? -1 };
      const prev = last.get(k);
      if (prev) {
        expect(now.t).toBeGreaterThanOrEqual(prev.t);
        expect(now.rec > prev.rec || (now.rec === prev.rec && now.el > prev.el)).toBe(true);
      }
      last.set(k, now);
    }
  }

  it('json: one message per elem, fields equal to the elem, keyed by prefix, in order per key; kcat reads the same', async () => {
    const progress: KafkaExportProgress[] = [];
    const summary = await exportToKafka([records], {
      brokers: broker.bootstrap,
      format: 'json',
      partitions: PARTITIONS,
      topicTemplate: 'json.{project}.{collector}',
      onProgress: (p) => progress.push(p),
    });
    expect(summary).toMatchObject({
      format: 'json',
      messages: totalElems,
      elems: totalElems,
      records: records.length,
    });
    // Progress after every acknowledged request, growing to the summary's totals.
    expect(progress.length).toBe(summary.flushes);
    expect(progress.length).toBeGreaterThan(5);
    for (let i = 1; i < progress.length; i++)
      expect(progress[i].messages).toBeGreaterThan(progress[i - 1].messages);
    expect(progress.at(-1)).toMatchObject({
      messages: summary.messages,
      elems: summary.elems,
      bytes: summary.bytes,
    });
    expect(summary.bytes).toBeGreaterThan(totalElems * 500);
    expect(summary.topics).toEqual(topicsOf('json').sort());

    const messages = await consumeAll(broker.bootstrap, topicsOf('json'));
    expect(messages.length).toBe(totalElems);
    const schema = elemMessageJsonSchema();
    const seen = new Set<string>();
    for (const m of messages) {
      const id = m.headers[H.recordId];
      expect(seen.has(id)).toBe(false);
      seen.add(id);
      const want = expected.get(id);
      expect(want?.elem).toBeDefined();
      const { record, elem } = want as Required<Expected>;
      const body = JSON.parse(m.value.toString());
      if (seen.size <= 300) expect(validate(schema, body)).toEqual([]);
      expect(JSON.stringify(body)).toBe(JSON.stringify(elemToJson(record, elem)));
      // Against the elem itself, not only our own encoder:
      expect(body.elem_type).toBe(elem.type);
      expect(body.peer_asn).toBe(elem.peerAsn);
      expect(body.prefix).toBe(elem.prefix?.toString() ?? null);
      expect(body.as_path).toBe(elem.attributes ? elem.asPath.toString() : null);
      expect(body.record_time).toBe(record.timeSec * 1e6 + record.timeUsec);
      expect(m.headers).toMatchObject({
        [H.format]: 'json',
        [H.schemaVersion]: String(ELEM_SCHEMA_VERSION),
        [H.project]: record.project,
        [H.collector]: record.collector,
        [H.recordType]: 'update',
        [H.dumpTime]: '1427846400',
      });
      const key = elemKey(elem, 'prefix');
      expect(m.key).toBe(key);
      expect(m.key).toBe(elem.prefix ? elem.prefix.toString() : peerKey(elem));
      expect(m.partition).toBe(partitionForKey(key as string, PARTITIONS));
    }
    checkOrderPerKey(messages, (m) => JSON.parse(m.value.toString()).record_time);

    if (kcat) {
      for (const topic of topicsOf('json')) {
        const out = await runKcat([
          '-C',
          '-b',
          broker.bootstrap,
          '-t',
          topic,
          '-e',
          '-o',
          'beginning',
          '-q',
          '-f',
          '%k %s\\n',
        ]);
        const lines = out
          .toString()
          .split('\n')
          .filter((l) => l !== '');
        const mine = messages.filter((m) => m.topic === topic).map((m) => `${m.key} ${m.value.toString()}`);
        expect(lines.length).toBe(mine.length);
        expect(lines.sort()).toEqual(mine.sort());
      }
    }
  });

  it('arrow: one IPC stream per message whose rows are the elems, every row in the partition of its prefix', async () => {
    const summary = await exportToKafka([records], {
      brokers: broker.bootstrap,
      format: 'arrow',
      partitions: PARTITIONS,
      arrowBatchSize: 500,
      topicTemplate: 'arrow.{project}.{collector}',
    });
    expect(summary).toMatchObject({ format: 'arrow', elems: totalElems });
    const messages = await consumeAll(broker.bootstrap, topicsOf('arrow'));
    expect(messages.length).toBe(summary.messages);
    const rowsById: [string, string][] = [];
    for (const m of messages) {
      const { rows, metadata } = arrowMessageRows(m.value);
      expect(metadata.get('bgpstream.elem_schema_version')).toBe(String(ELEM_SCHEMA_VERSION));
      expect(rows.length).toBe(Number(m.headers[H.rows]));
      expect(rows.length).toBeLessThanOrEqual(500);
      expect(m.headers[H.schemaVersion]).toBe(String(ELEM_SCHEMA_VERSION));
      const first = parseRecordId(m.headers[H.recordId]);
      const last = parseRecordId(m.headers[H.recordIdLast]);
      expect(first?.dump).toBe(last?.dump);
      for (const row of rows) {
        expect(m.partition).toBe(partitionForKey((row.prefix as string) ?? '', PARTITIONS));
        rowsById.push([m.headers[H.recordId], JSON.stringify(row)]);
      }
    }
    // Every elem exactly once, and equal to the decoder's elem (as its json form).
    const want = [...expected.values()]
      .filter((x) => x.elem)
      .map((x) => JSON.stringify(elemToJson(x.record, x.elem as Elem)));
    expect(rowsById.length).toBe(totalElems);
    expect(rowsById.map(([, r]) => r).sort()).toEqual(want.sort());
    checkOrderPerKey(
      messages.map((m) => ({ ...m, key: String(m.partition) })),
      (m) => Number(parseRecordId(m.headers[H.recordId])?.recordIndex),
    );

    if (kcat) {
      for (const topic of topicsOf('arrow')) {
        const out = await runKcat([
          '-C',
          '-b',
          broker.bootstrap,
          '-t',
          topic,
          '-e',
          '-o',
          'beginning',
          '-q',
          '-f',
          '%S\\n',
        ]);
        const sizes = out
          .toString()
          .split('\n')
          .filter((l) => l !== '')
          .map(Number);
        const mine = messages.filter((m) => m.topic === topic).map((m) => m.value.length);
        expect(sizes.sort()).toEqual(mine.sort());
      }
    }
  });

  it('mrt: the original record bytes, and the kafka data interface reads back the same elems as the files', async () => {
    // Through the command's entry point, as `bgpstream export --to kafka --format mrt ...` runs it.
    const argv = {
      brokers: broker.bootstrap,
      format: 'mrt',
      partitions: String(PARTITIONS),
      topic: 'mrt.{project}.{collector}',
      checkpoint: join(tmp, 'mrt.checkpoint.json'),
    };
    const csvStream = () =>
      new BGPStream({ dataInterface: 'csvfile', dataInterfaceOptions: { 'csv-file': csv } });
    const summary = await kafkaExport(csvStream(), argv);
    expect(summary).toMatchObject({
      format: 'mrt',
      records: records.length,
      messages: records.length,
      elems: totalElems,
    });
    expect(formatKafkaExportSummary(summary)).toMatch(
      /^exported \d+ elems of \d+ records as \d+ mrt messages/,
    );
    // Run again: the checkpoint marks both dumps complete, so they are passed over before being opened.
    expect(await kafkaExport(csvStream(), argv)).toMatchObject({
      records: 0,
      messages: 0,
      skippedRecords: 0,
    });

    const messages = await consumeAll(broker.bootstrap, topicsOf('mrt'));
    expect(messages.length).toBe(records.length);
    for (const m of messages) {
      const want = expected.get(m.headers[H.recordId]);
      expect(want?.elem).toBeUndefined();
      const record = want?.record as BgpRecord;
      expect(Buffer.compare(m.value, Buffer.from(record.raw as Uint8Array))).toBe(0);
      expect(m.headers[H.time]).toBe(`${record.timeSec}.${String(record.timeUsec).padStart(6, '0')}`);
      expect(m.headers[H.dumpPosition]).toBe(record.dumpPosition);
      const key = record.elems.length > 0 ? peerKey(record.elems[0]) : null;
      expect(m.key).toBe(key);
      if (key !== null) expect(m.partition).toBe(partitionForKey(key, PARTITIONS));
    }
    checkOrderPerKey(
      messages.filter((m) => m.key !== null),
      (m) => Number(m.headers[H.time]),
    );
    if (kcat) {
      for (const topic of topicsOf('mrt')) {
        const out = await runKcat([
          '-C',
          '-b',
          broker.bootstrap,
          '-t',
          topic,
          '-e',
          '-o',
          'beginning',
          '-q',
          '-D',
          '',
        ]);
        const mine = messages.filter((m) => m.topic === topic).map((m) => m.value);
        expect(out.length).toBe(mine.reduce((n, v) => n + v.length, 0));
      }
    }

    // Through the kafka data interface: bgpreader elem lines equal those of the files read directly.
    const direct: string[] = [];
    const stream = new BGPStream({ dataInterface: 'csvfile', dataInterfaceOptions: { 'csv-file': csv } });
    for await (const e of stream) direct.push(bgpreaderElemLine(e.record as BgpRecord, e));
    const viaKafka: { line: string; key: string }[] = [];
    const k = new BGPStream({
      dataInterface: 'kafka',
      dataInterfaceOptions: {
        brokers: broker.bootstrap,
        topic: topicsOf('mrt').join(','),
        'data-type': 'mrt',
        offset: 'earliest',
        'stop-at-end': 'true',
      },
    });
    const directKeys: { line: string; key: string }[] = [];
    for await (const e of k)
      viaKafka.push({ line: bgpreaderElemLine(e.record as BgpRecord, e), key: peerKey(e) });
    for await (const e of new BGPStream({
      dataInterface: 'csvfile',
      dataInterfaceOptions: { 'csv-file': csv },
    })) {
      directKeys.push({
        line: bgpreaderElemLine(e.record as BgpRecord, e),
        key: `${e.record?.collector} ${peerKey(e)}`,
      });
    }
    expect(viaKafka.length).toBe(direct.length);
    expect(viaKafka.map((x) => x.line).sort()).toEqual([...direct].sort());
    // Partitioned by peer: each peer's elems come back in the files' order.
    const byKey = (list: { line: string; key: string }[]) => {
      const m = new Map<string, string[]>();
      for (const x of list) m.set(x.key, [...(m.get(x.key) ?? []), x.line]);
      return m;
    };
    const viaKafkaKeyed = viaKafka.map((x) => ({ ...x, key: `${x.line.split('|')[4]} ${x.key}` }));
    expect(byKey(viaKafkaKeyed)).toEqual(byKey(directKeys));
  });
});

describe('mrt format with TABLE_DUMP_V2 RIBs', () => {
  it('sends a PEER_INDEX_TABLE to every partition before the RIB records, so any partition reader decodes them', async () => {
    const broker = await startDevBroker();
    const tmp = mkdtempSync(join(tmpdir(), 'kafka-rib-'));
    try {
      const peers = [
        { bgpId: IpAddress.parse('192.0.2.1'), address: IpAddress.parse('192.0.2.1'), asn: 65001 },
        {
          bgpId: IpAddress.parse('192.0.2.2'),
          address: IpAddress.parse('2001:db8::2'),
          asn: 4200000002,
          as4: true,
        },
        { bgpId: IpAddress.parse('192.0.2.3'), address: IpAddress.parse('192.0.2.3'), asn: 65003 },
      ];
      const attrs = (path: number[]) => {
        const a = new PathAttributes();
        a.origin = 0;
        a.asPath = new AsPath([{ type: 2, asns: path }]);
        a.nextHop = IpAddress.parse('192.0.2.1');
        a.communities = [((65001 << 16) | 7) >>> 0];
        return a;
      };
      const ribs = [];
      for (let i = 0; i < 40; i++) {
        ribs.push(
          encodeRibRecord({
            timeSec: 1700000000,
            sequence: i,
            prefix: Prefix.parse(`10.${i}.0.0/16`),
            entries: [0, 1, 2]
              .filter((p) => (i + p) % 4 !== 0)
              .map((p) => ({
                peerIndex: p,
                origTimeSec: 1690000000 + p,
                attributes: attrs([peers[p].asn, 3356, 64500 + i]),
              })),
          }),
        );
      }
      const file = join(tmp, 'rib.mrt');
      writeFileSync(
        file,
        concatRecords([
          encodePeerIndexTable({ collectorBgpId: IpAddress.parse('192.0.2.254'), peers }),
          ...ribs,
        ]),
      );
      const source = { project: 'lab', collector: 'c1', type: 'rib' as const, dumpTime: 1700000000 };
      const direct: string[] = [];
      for await (const batch of readMrtBatches(file, { source })) {
        for (const r of batch) for (const e of r.elems) direct.push(bgpreaderElemLine(r, e));
      }
      expect(direct.length).toBe(90);

      const summary = await exportToKafka(readMrtBatches(file, { source }), {
        brokers: broker.bootstrap,
        format: 'mrt',
        key: 'prefix',
        partitions: 3,
        topicTemplate: 'rib.{collector}',
      });
      expect(summary.records).toBe(40);
      const messages = await consumeAll(broker.bootstrap, ['rib.c1']);
      const tables = messages.filter((m) => m.headers[H.recordId].endsWith('/peer-index-table'));
      expect(new Set(tables.map((m) => m.partition))).toEqual(new Set([0, 1, 2]));
      for (const p of [0, 1, 2]) {
        const inPartition = messages.filter((m) => m.partition === p);
        expect(inPartition[0].headers[H.recordId].endsWith('/peer-index-table')).toBe(true);
      }
      const back: string[] = [];
      const k = new BGPStream({
        dataInterface: 'kafka',
        dataInterfaceOptions: {
          brokers: broker.bootstrap,
          topic: 'rib.c1',
          'data-type': 'mrt',
          offset: 'earliest',
          'stop-at-end': 'true',
        },
      });
      for await (const e of k) back.push(bgpreaderElemLine(e.record as BgpRecord, e));
      expect(back.sort()).toEqual(direct.sort());
    } finally {
      await broker.stop();
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
