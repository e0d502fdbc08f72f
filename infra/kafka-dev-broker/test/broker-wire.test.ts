/** Framing and connection behaviour over real sockets: pipelining, split frames, bad requests, many clients. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from '../src/broker.js';
import { ApiKey } from '../src/protocol/api-keys.js';
import { decodeApiVersionsResponseV0 } from '../src/protocol/api-versions/v0/response.js';
import { decodeApiVersionsResponseV2 } from '../src/protocol/api-versions/v2/response.js';
import { decodeMetadataResponseV4 } from '../src/protocol/metadata/v4/response.js';
import { encodeProduceRequestV3 } from '../src/protocol/produce/v3/request.js';
import { encodeRecordBatch } from '../src/protocol/record-batch.js';
import { hex, RawClient } from './helpers/raw-client.js';
import { listOffsets, metadata } from './helpers/requests.js';

describe('connection handling', () => {
  let broker: RunningBroker;
  beforeAll(async () => {
    broker = await startBroker({ maxRequestBytes: 1024 * 1024 });
  });
  afterAll(async () => {
    await broker.stop();
  });

  it('binds to 127.0.0.1 on an ephemeral port by default', () => {
    expect(broker.host).toBe('127.0.0.1');
    expect(broker.port).toBeGreaterThan(0);
    expect(broker.bootstrap).toBe(`127.0.0.1:${broker.port}`);
  });

  it('answers pipelined requests in order, with their correlation ids', async () => {
    const c = await RawClient.connect(broker.port);
    const frames = [
      c.frame(ApiKey.ApiVersions, 2, () => {}, 11),
      c.frame(ApiKey.Metadata, 4, (w) => w.nullableArray(null, () => {}).boolean(false), 12),
      c.frame(ApiKey.ApiVersions, 0, () => {}, 13),
      c.frame(ApiKey.Metadata, 4, (w) => w.array(['pipelined'], (ww, t) => ww.string(t)).boolean(true), 14),
      c.frame(ApiKey.Metadata, 4, (w) => w.nullableArray(null, () => {}).boolean(false), 15),
    ];
    c.write(Buffer.concat(frames));
    const ids: number[] = [];
    for (let i = 0; i < frames.length; i++) ids.push((await c.next()).correlationId);
    expect(ids).toEqual([11, 12, 13, 14, 15]);
    c.close();
  });

  it('reassembles requests that arrive one byte at a time', async () => {
    const c = await RawClient.connect(broker.port);
    const bytes = Buffer.concat([
      c.frame(ApiKey.ApiVersions, 2, () => {}, 21),
      c.frame(ApiKey.Metadata, 4, (w) => w.nullableArray(null, () => {}).boolean(false), 22),
    ]);
    for (const b of bytes) {
      c.write(Buffer.from([b]));
      await new Promise((r) => setImmediate(r));
    }
    const first = await c.next();
    expect(first.correlationId).toBe(21);
    expect(decodeApiVersionsResponseV2(first.body).errorCode).toBe(0);
    const second = await c.next();
    expect(second.correlationId).toBe(22);
    expect(decodeMetadataResponseV4(second.body).brokers).toEqual([
      { nodeId: 1, host: '127.0.0.1', port: broker.port, rack: null },
    ]);
    c.close();
  });

  it('answers an ApiVersions version above the max with error 35 in the v0 layout, and keeps the connection', async () => {
    const c = await RawClient.connect(broker.port);
    const res = await c.request(ApiKey.ApiVersions, 7, () => {}, decodeApiVersionsResponseV0);
    expect(res.errorCode).toBe(35);
    expect(res.apiKeys.length).toBe(14);
    // Even with a body that cannot be parsed.
    c.write(c.frame(ApiKey.ApiVersions, 3, (w) => w.raw(hex('ff')), 31));
    expect((await c.next()).correlationId).toBe(31);
    expect((await metadata(c, [])).topics).toEqual([]);
    c.close();
  });

  it('closes the connection on an unknown api key, after answering what came before it', async () => {
    const c = await RawClient.connect(broker.port);
    c.write(
      Buffer.concat([
        c.frame(ApiKey.ApiVersions, 2, () => {}, 41),
        c.frame(32 /* DescribeConfigs: not supported */, 0, () => {}, 42),
        c.frame(ApiKey.ApiVersions, 2, () => {}, 43),
      ]),
    );
    expect((await c.next()).correlationId).toBe(41);
    expect(await c.waitClosed()).toBe(true);
    await expect(c.next(200)).rejects.toThrow(/closed/);
  });

  it('closes the connection on an unsupported version of a known api', async () => {
    const c = await RawClient.connect(broker.port);
    c.write(c.frame(ApiKey.Metadata, 9, (w) => w.int8(0)));
    expect(await c.waitClosed()).toBe(true);
  });

  it('closes the connection on a malformed request body', async () => {
    const c = await RawClient.connect(broker.port);
    // Metadata v4 whose topic array claims 5 entries but holds none.
    c.write(c.frame(ApiKey.Metadata, 4, (w) => w.int32(5)));
    expect(await c.waitClosed()).toBe(true);
  });

  it('closes the connection on a frame larger than maxRequestBytes, or with a negative size', async () => {
    const big = await RawClient.connect(broker.port);
    big.write(hex('00100001')); // 1 MiB + 1, announced only
    expect(await big.waitClosed()).toBe(true);
    const neg = await RawClient.connect(broker.port);
    neg.write(hex('ffffff00'));
    expect(await neg.waitClosed()).toBe(true);
    const tiny = await RawClient.connect(broker.port);
    tiny.write(hex('00000002 0012')); // too short for a header
    expect(await tiny.waitClosed()).toBe(true);
  });

  it('accepts a request of exactly maxRequestBytes', async () => {
    const c = await RawClient.connect(broker.port);
    const frame = c.frame(ApiKey.ApiVersions, 2, (w) => w.raw(Buffer.alloc(1024 * 1024 - 13)), 51);
    expect(frame.length).toBe(4 + 1024 * 1024);
    c.write(frame);
    expect((await c.next()).correlationId).toBe(51);
    c.close();
  });

  it('sends nothing for Produce with acks = 0, but still appends', async () => {
    const c = await RawClient.connect(broker.port);
    await metadata(c, ['acks0'], true);
    const batch = encodeRecordBatch([{ value: 'fire and forget' }]);
    c.write(
      c.frame(
        ApiKey.Produce,
        3,
        (w) =>
          encodeProduceRequestV3(w, {
            transactionalId: null,
            acks: 0,
            timeoutMs: 1000,
            topicData: [{ name: 'acks0', partitionData: [{ index: 0, records: batch }] }],
          }),
        61,
      ),
    );
    c.write(c.frame(ApiKey.ApiVersions, 2, () => {}, 62));
    expect((await c.next()).correlationId).toBe(62);
    c.close();
    const c2 = await RawClient.connect(broker.port);
    expect((await listOffsets(c2, 'acks0', 0, -1)).offset).toBe(1);
    c2.close();
  });

  it('serves 200 concurrent connections', async () => {
    const clients = await Promise.all(Array.from({ length: 200 }, () => RawClient.connect(broker.port)));
    const results = await Promise.all(
      clients.map(async (c, i) => {
        const res = await c.request(ApiKey.ApiVersions, 2, () => {}, decodeApiVersionsResponseV2);
        const md = await metadata(c, [`many-${i % 5}`], true);
        c.close();
        return res.errorCode === 0 && md.topics[0].errorCode === 0;
      }),
    );
    expect(results.every(Boolean)).toBe(true);
  });

  it('stop() closes open connections and frees the port', async () => {
    const b = await startBroker();
    const c = await RawClient.connect(b.port);
    await b.stop();
    expect(await c.waitClosed()).toBe(true);
    await expect(RawClient.connect(b.port)).rejects.toThrow();
    // Listening again on the same port works.
    const again = await startBroker({ port: b.port });
    expect(again.port).toBe(b.port);
    await again.stop();
  });
});
