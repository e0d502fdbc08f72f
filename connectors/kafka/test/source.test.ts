/**
 * The `kafka` data interface on the development broker: BMP (with and without the OpenBMP header),
 * RIS Live lines, our own json messages, MRT with an undecodable message in the middle.
 */
import {
  AsPath,
  BGPStream,
  type BgpRecord,
  bgpreaderElemLine,
  bmpEncode as bmp,
  encodeBgp4mpUpdate,
  encodeOpenMessage,
  encodeUpdateMessage,
  fourOctetAsCapability,
  IpAddress,
  PathAttributes,
  Prefix,
} from '@bgpstream-ts/core';
import { Kafka, logLevel, type Message, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportToKafka } from '../src/index.js';
import { type RunningBroker, startDevBroker } from './helpers/broker.js';
import { readSample, SAMPLES, samplesPresent } from './helpers/samples.js';

const T0 = 1700000000;
const ip = (t: string) => IpAddress.parse(t);

let broker: RunningBroker;
let producer: Producer;

beforeAll(async () => {
  broker = await startDevBroker();
  const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await broker?.stop();
});

async function produce(topic: string, values: (Uint8Array | string)[]): Promise<void> {
  const messages: Message[] = values.map((v) => ({ value: typeof v === 'string' ? v : Buffer.from(v) }));
  await producer.send({ topic, messages });
}

/** Everything the kafka data interface gives for the topics, read to their end. */
async function readTopic(topic: string, options: Record<string, string> = {}): Promise<BgpRecord[]> {
  const stream = new BGPStream({
    dataInterface: 'kafka',
    dataInterfaceOptions: {
      brokers: broker.bootstrap,
      topic,
      offset: 'earliest',
      'stop-at-end': 'true',
      ...options,
    },
  });
  const out: BgpRecord[] = [];
  for await (const r of stream.records()) out.push(r);
  return out;
}

const lines = (records: BgpRecord[]) => records.flatMap((r) => r.elems.map((e) => bgpreaderElemLine(r, e)));

function attrs(path: number[]): PathAttributes {
  const a = new PathAttributes();
  a.origin = 0;
  a.asPath = new AsPath([{ type: 2, asns: path }]);
  a.nextHop = ip('192.0.2.1');
  return a;
}

/** A BMP session of one peer: up, two announcements, one withdrawal, down. */
function bmpSession(): Uint8Array[] {
  const peer: bmp.BmpPeerInput = {
    address: ip('192.0.2.1'),
    asn: 65001,
    bgpId: ip('192.0.2.1'),
    timeSec: T0,
    timeUsec: 5,
  };
  const open = (asn: number, id: string) =>
    encodeOpenMessage({ asn, bgpId: ip(id), capabilities: [fourOctetAsCapability(asn)] });
  return [
    bmp.encodeBmpPeerUp({
      peer,
      localAddress: ip('192.0.2.254'),
      localPort: 179,
      remotePort: 40000,
      sentOpen: open(65000, '192.0.2.254'),
      receivedOpen: open(65001, '192.0.2.1'),
    }),
    bmp.encodeBmpRouteMonitoring(
      { ...peer, timeSec: T0 + 1, timeUsec: 1 },
      encodeUpdateMessage({
        announced: [Prefix.parse('10.0.0.0/8'), Prefix.parse('2001:db8::/32')],
        attributes: attrs([65001, 3356]),
        as4: true,
      }),
    ),
    bmp.encodeBmpRouteMonitoring(
      { ...peer, timeSec: T0 + 2, timeUsec: 2 },
      encodeUpdateMessage({ withdrawn: [Prefix.parse('10.0.0.0/8')], as4: true }),
    ),
    bmp.encodeBmpPeerDown({ peer: { ...peer, timeSec: T0 + 3, timeUsec: 3 }, reason: 2, fsmEvent: 7 }),
  ];
}

describe('the kafka data interface', () => {
  it('bmp with the OpenBMP header (RouteViews bmp_raw topics): peer up/down and route monitoring', async () => {
    const messages = bmpSession().map((m, i) =>
      bmp.encodeOpenBmpMessage(
        {
          timeSec: T0 + 10 + i,
          timeUsec: 777,
          collectorAdminId: 'route-views.jinx',
          routerIp: ip('198.51.100.7'),
          routerGroup: 'rtr1',
        },
        m,
      ),
    );
    await produce('routeviews.route-views.jinx.65001.bmp_raw', messages);
    // data-type bmp is the default; a regular expression picks the RouteViews topics.
    const records = await readTopic('/^routeviews\\..*\\.bmp_raw$/', { project: 'routeviews' });
    expect(records.map((r) => r.status)).toEqual(['valid', 'valid', 'valid', 'valid']);
    for (const [i, r] of records.entries()) {
      expect(r).toMatchObject({
        project: 'routeviews',
        collector: 'route-views.jinx',
        router: 'rtr1',
        timeSec: T0 + 10 + i,
        timeUsec: 777,
      });
      expect(r.routerIp?.toString()).toBe('198.51.100.7');
    }
    const t = (i: number) => `${T0 + 10 + i}.000777`;
    expect(lines(records)).toEqual([
      `U|S|${t(0)}|routeviews|route-views.jinx|rtr1|198.51.100.7|65001|192.0.2.1|||||||ACTIVE`,
      `U|A|${t(1)}|routeviews|route-views.jinx|rtr1|198.51.100.7|65001|192.0.2.1|10.0.0.0/8|192.0.2.1|65001 3356|3356|||`,
      `U|A|${t(1)}|routeviews|route-views.jinx|rtr1|198.51.100.7|65001|192.0.2.1|2001:db8::/32||65001 3356|3356|||`,
      `U|W|${t(2)}|routeviews|route-views.jinx|rtr1|198.51.100.7|65001|192.0.2.1|10.0.0.0/8||||||`,
      `U|S|${t(3)}|routeviews|route-views.jinx|rtr1|198.51.100.7|65001|192.0.2.1|||||||IDLE`,
    ]);
  });

  it('bmp without the OpenBMP header: times from the per-peer header, names from the options', async () => {
    await produce('raw-bmp', bmpSession());
    const records = await readTopic('raw-bmp', { project: 'lab', collector: 'bmp1' });
    expect(records.map((r) => [r.status, r.timeSec, r.timeUsec, r.collector, r.router])).toEqual([
      ['valid', T0, 5, 'bmp1', ''],
      ['valid', T0 + 1, 1, 'bmp1', ''],
      ['valid', T0 + 2, 2, 'bmp1', ''],
      ['valid', T0 + 3, 3, 'bmp1', ''],
    ]);
    expect(
      records.flatMap((r) => r.elems.map((e) => `${e.type}${e.prefix ?? ''}${e.newState || ''}`)),
    ).toEqual(['S3', 'A10.0.0.0/8', 'A2001:db8::/32', 'W10.0.0.0/8', 'S1']);
  });

  it('turns an undecodable message into a corrupted-record record and reads on (bmp, ris-live, mrt)', async () => {
    const [up, announce] = bmpSession();
    await produce('bad-bmp', [up, Uint8Array.from([3, 0, 0, 0, 200, 0, 1, 2]), announce]);
    const b = await readTopic('bad-bmp');
    expect(b.map((r) => r.status)).toEqual(['valid', 'corrupted-record', 'valid']);
    expect(b[1].error).toBeTruthy();

    const update =
      'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF005B020000004040010100400232020C00002DBC00007D61000005130000CC6000040361000403610004036100040361000403610000CF01000418C1000418C14003044816DF09172DA1C0';
    const line = (ts: string) =>
      `{"type":"ris_message","data":{"timestamp":${ts},"peer":"72.22.223.9","peer_asn":"11708","raw":"${update}","host":"rrc00","type":"UPDATE"}}`;
    await produce('ris-live-lines', [
      line('1553627987.89'),
      '{"type":"ris_message","data":{',
      line('1553627988.5'),
    ]);
    const r = await readTopic('ris-live-lines', { 'data-type': 'ris-live', project: 'ris-live' });
    expect(r.map((x) => x.status)).toEqual(['valid', 'corrupted-record', 'valid']);
    expect(lines(r)[0]).toBe(
      'U|A|1553627987.890000|ris-live|rrc00|||11708|72.22.223.9|45.161.192.0/23|72.22.223.9|11708 32097 1299 52320 263009 263009 263009 263009 263009 52993 268481 268481|268481|||',
    );

    const mrt = (t: number, p: string) =>
      encodeBgp4mpUpdate({
        timeSec: t,
        peerAsn: 65001,
        localAsn: 65000,
        peerAddress: ip('192.0.2.1'),
        as4: true,
        announced: [Prefix.parse(p)],
        attributes: attrs([65001]),
      });
    await produce('mrt-with-garbage', [
      mrt(T0, '10.0.0.0/8'),
      'not an MRT record at all',
      mrt(T0 + 1, '10.1.0.0/16'),
    ]);
    const m = await readTopic('mrt-with-garbage', { 'data-type': 'mrt', collector: 'c1' });
    expect(m.map((x) => x.status)).toEqual(['valid', 'corrupted-record', 'valid']);
    expect(lines(m)).toEqual([
      `U|A|${T0}.000000||c1|||65001|192.0.2.1|10.0.0.0/8|192.0.2.1|65001|65001|||`,
      `U|A|${T0 + 1}.000000||c1|||65001|192.0.2.1|10.1.0.0/16|192.0.2.1|65001|65001|||`,
    ]);
  });

  it.skipIf(!samplesPresent)('json: our own elem messages come back as the same elems', async () => {
    const records = await readSample(SAMPLES[0]);
    await exportToKafka([records], {
      brokers: broker.bootstrap,
      format: 'json',
      partitions: 1,
      topicTemplate: 'own-json',
    });
    const back = await readTopic('own-json', { 'data-type': 'json' });
    expect(back.every((r) => r.status === 'valid' && r.elems.length === 1)).toBe(true);
    expect(lines(back)).toEqual(lines(records));
    expect(back[0].dumpTime).toBe(SAMPLES[0].dumpTime);
  });

  it('ends at once on an empty topic with stop-at-end, and names unreachable brokers in a corrupted-source record', async () => {
    const admin = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'empty', numPartitions: 2 }] });
    await admin.disconnect();
    expect(await readTopic('empty')).toEqual([]);

    const started = Date.now();
    const s = new BGPStream({
      dataInterface: 'kafka',
      dataInterfaceOptions: { brokers: '127.0.0.1:1', topic: 't', 'stop-at-end': 'true' },
    });
    const got: BgpRecord[] = [];
    for await (const r of s.records()) got.push(r);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(got.map((r) => r.status)).toEqual(['corrupted-source']);
    expect(got[0].error).toMatch(/127\.0\.0\.1:1/);
  });
});
