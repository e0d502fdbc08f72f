import { createRequire } from 'node:module';
import { BGPStream } from '@bgpstream-ts/core';
import { KAFKA_HEADERS } from '@bgpstream-ts/schemas';
import { describe, expect, it } from 'vitest';
import { resolveExportOptions } from '../src/export-to-kafka.js';
import {
  compareRecordIds,
  dumpKey,
  KafkaUsageError,
  kafkaExportOptionsFromArgv,
  kafkaUrl,
  murmur2,
  parseKafkaUrl,
  parseRecordId,
  partitionForKey,
  recordId,
  sanitizeTopicName,
  TopicTemplate,
} from '../src/index.js';
import {
  arrowHeaders,
  HEADER_OVERHEAD,
  headerValuesBytes,
  messageHeaders,
  mrtHeaders,
} from '../src/message-headers.js';

const require = createRequire(import.meta.url);
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2.js') as (
  key: Buffer | string,
) => number;

describe('topic names', () => {
  it('fills the template and keeps names Kafka accepts', () => {
    const t = new TopicTemplate('bgpstream.{project}.{collector}.{type}');
    expect(
      t.topic({ project: 'routeviews', collector: 'route-views.jinx', type: 'update', format: 'json' }),
    ).toBe('bgpstream.routeviews.route-views.jinx.update');
    const e = new TopicTemplate('x-{elem_type}-{format}');
    expect(e.usesElemType).toBe(true);
    expect(e.topic({ project: 'p', collector: 'c', type: 'rib', elemType: 'W', format: 'arrow' })).toBe(
      'x-withdrawal-arrow',
    );
  });

  it('replaces illegal characters and cuts long names with a hash', () => {
    expect(sanitizeTopicName('a b/c:d@e')).toBe('a_b_c_d_e');
    expect(sanitizeTopicName('..')).toBe('__');
    const long = sanitizeTopicName('x'.repeat(300));
    expect(long.length).toBe(249);
    expect(long).toMatch(/^x+-[0-9a-f]{8}$/);
    expect(sanitizeTopicName(`${'x'.repeat(300)}1`)).not.toBe(long);
    expect(/^[a-zA-Z0-9._-]+$/.test(sanitizeTopicName('ünïcode topic ✓'))).toBe(true);
  });

  it('rejects unknown placeholders, naming them', () => {
    expect(() => new TopicTemplate('bgp.{peer}')).toThrow(/unknown placeholder '\{peer\}'/);
    expect(() => new TopicTemplate('bgp.{project')).toThrow(/unbalanced/);
  });
});

describe('record ids', () => {
  it('round-trips, with / and % in names encoded', () => {
    const dk = dumpKey({ project: 'a/b', collector: '50%', type: 'update', dumpTime: 1427846400 });
    expect(dk).toBe('a%2Fb/50%25/update/1427846400');
    const p = parseRecordId(recordId(dk, 12, 3));
    expect(p).toMatchObject({
      project: 'a/b',
      collector: '50%',
      type: 'update',
      dumpTime: 1427846400,
      recordIndex: 12,
      elemIndex: 3,
    });
    expect(parseRecordId(recordId(dk, 12))?.elemIndex).toBeUndefined();
    expect(parseRecordId('nonsense')).toBeNull();
    expect(parseRecordId(`${recordId(dk, 1)}/peer-index-table`)).toBeNull();
    const a = parseRecordId(recordId(dk, 1, 5));
    const b = parseRecordId(recordId(dk, 2, 0));
    expect(a && b && compareRecordIds(a, b) < 0).toBe(true);
  });
});

describe('partitioning', () => {
  it("hashes keys as Kafka's default partitioner (murmur2, as kafkajs and the Java client)", () => {
    for (const key of [
      '',
      'a',
      'ab',
      'abc',
      'abcd',
      '192.0.2.0/24',
      '2001:db8::/32',
      '25152 202.249.2.185',
      'é✓',
    ]) {
      expect(murmur2(new TextEncoder().encode(key))).toBe(kafkajsMurmur2(Buffer.from(key)));
    }
    expect(partitionForKey('10.0.0.0/8', 1)).toBe(0);
    const p = partitionForKey('10.0.0.0/8', 12);
    expect(p).toBe((kafkajsMurmur2(Buffer.from('10.0.0.0/8')) & 0x7fffffff) % 12);
  });
});

describe('message headers', () => {
  it('use the names of KAFKA_HEADERS, and their size estimate is close to the bytes', () => {
    const names = new Set<string>(Object.values(KAFKA_HEADERS));
    const v = {
      format: 'mrt',
      schemaVersion: '1',
      project: 'routeviews',
      collector: 'route-views.jinx',
      recordType: 'update',
      dumpTime: '1427846400',
      router: 'rtr1',
      routerIp: '198.51.100.7',
    };
    const id = 'routeviews/route-views.jinx/update/1427846400/17';
    const all = [
      messageHeaders(v, id),
      mrtHeaders(v, id, '1427846401.000000', 'middle', 'valid'),
      arrowHeaders(v, id, `${id}/9`, 10),
    ];
    for (const h of all) for (const k of Object.keys(h)) expect(names.has(k)).toBe(true);
    const exact = (h: Record<string, unknown>) =>
      Object.entries(h).reduce((n, [k, x]) => n + k.length + String(x).length, 0);
    const json = messageHeaders(v, id) as Record<string, string>;
    const estimate = headerValuesBytes(v) + id.length + HEADER_OVERHEAD;
    expect(estimate).toBeGreaterThanOrEqual(exact(json));
    expect(estimate).toBeLessThanOrEqual(exact(json) + 10 * HEADER_OVERHEAD);
  });
});

describe('export options', () => {
  it('checks the command-line options and names a bad one', () => {
    expect(() => kafkaExportOptionsFromArgv({})).toThrow(KafkaUsageError);
    expect(() => kafkaExportOptionsFromArgv({ brokers: 'h:1', format: 'xml' })).toThrow(/--format 'xml'/);
    expect(() => kafkaExportOptionsFromArgv({ brokers: 'h:1', key: 'origin' })).toThrow(/--key 'origin'/);
    expect(() => kafkaExportOptionsFromArgv({ brokers: 'h:1', partitions: '0' })).toThrow(/--partitions '0'/);
    expect(() => kafkaExportOptionsFromArgv({ brokers: 'nohostport' })).toThrow(
      /'nohostport' is not host:port/,
    );
    expect(() => kafkaExportOptionsFromArgv({ brokers: 'h:1', compression: 'zstd' })).toThrow(/none or gzip/);
    expect(() =>
      kafkaExportOptionsFromArgv({ brokers: 'h:1', format: 'mrt', topic: 't.{elem_type}' }),
    ).toThrow(/elem_type.*mrt/);
    const o = kafkaExportOptionsFromArgv({
      brokers: 'a:1,b:2',
      format: 'arrow',
      'batch-size': '100',
      partitions: '3',
    });
    expect(o).toMatchObject({
      brokers: 'a:1,b:2',
      format: 'arrow',
      arrowBatchSize: 100,
      partitions: 3,
      createTopics: true,
    });
  });

  it('keys json and arrow by prefix and mrt by peer unless told', () => {
    expect(resolveExportOptions({ brokers: 'h:1' }).key).toBe('prefix');
    expect(resolveExportOptions({ brokers: 'h:1', format: 'mrt' }).key).toBe('peer');
    expect(resolveExportOptions({ brokers: 'h:1', format: 'mrt', key: 'prefix' }).key).toBe('prefix');
  });
});

describe('the kafka data interface', () => {
  it('has the reference options plus stop-at-end, and rejects bad values naming them', async () => {
    const s = new BGPStream({
      dataInterface: 'kafka',
      dataInterfaceOptions: { brokers: '127.0.0.1:9', topic: 'a,b', offset: 'earliest', 'data-type': 'mrt' },
    });
    expect(s.getDataInterfaceOptions().map((o) => o.name)).toEqual([
      'brokers',
      'topic',
      'group',
      'offset',
      'data-type',
      'project',
      'collector',
      'stop-at-end',
    ]);
    expect(
      () => new BGPStream({ dataInterface: 'kafka', dataInterfaceOptions: { 'data-typ': 'mrt' } }),
    ).toThrow(/no option 'data-typ'/);
    const bad = (name: string, value: string) => {
      const st = new BGPStream({ dataInterface: 'kafka', dataInterfaceOptions: { [name]: value } });
      return () => st.start();
    };
    expect(bad('offset', 'middle')).toThrow(/offset.*'middle'/);
    expect(bad('data-type', 'csv')).toThrow(/data-type.*'csv'/);
    expect(bad('topic', 'a b')).toThrow(/'a b' is not a Kafka topic name/);
    expect(bad('topic', '/[/')).toThrow(/not a regular expression/);
    const missing = new BGPStream({ dataInterface: 'kafka', dataInterfaceOptions: { topic: 't' } });
    expect(() => missing.start()).toThrow(/'brokers' must be set/);
  });

  it('describes its one stream resource by a kafka:// url', () => {
    const c = {
      brokers: ['127.0.0.1:9092', '[::1]:9093'],
      topics: [/^routeviews\..*\.bmp_raw$/],
      group: 'bgpstream-1-2',
      offset: 'earliest' as const,
      dataType: 'bmp' as const,
      project: 'routeviews',
      collector: '',
      stopAtEnd: true,
    };
    const url = kafkaUrl(c);
    expect(url.startsWith('kafka://127.0.0.1:9092,[::1]:9093/')).toBe(true);
    expect(parseKafkaUrl(url)).toEqual(c);
    const d = parseKafkaUrl('kafka://h:1/t1,t2');
    expect(d).toMatchObject({ topics: ['t1', 't2'], offset: 'latest', dataType: 'bmp', stopAtEnd: false });
    expect(d.group).toMatch(/^bgpstream-[0-9a-f]+-[0-9a-f]+$/);
  });
});
