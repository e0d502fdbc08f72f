/** The byte examples of spec §11, checked against the codecs and against a running broker. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from '../../src/broker.js';
import { encodeApiVersionsAnswer } from '../../src/handlers/api-versions.js';
import { ApiKey, SUPPORTED_API_VERSIONS } from '../../src/protocol/api-keys.js';
import { encodeApiVersionsResponseV0 } from '../../src/protocol/api-versions/v0/response.js';
import {
  decodeApiVersionsResponseV2,
  encodeApiVersionsResponseV2,
} from '../../src/protocol/api-versions/v2/response.js';
import { decodeApiVersionsRequestV3 } from '../../src/protocol/api-versions/v3/request.js';
import {
  decodeApiVersionsResponseV3,
  encodeApiVersionsResponseV3,
} from '../../src/protocol/api-versions/v3/response.js';
import { encodeRequestFrame, encodeResponseFrame } from '../../src/protocol/frame.js';
import { decodeProduceRequestV3, encodeProduceRequestV3 } from '../../src/protocol/produce/v3/request.js';
import { decodeProduceResponseV3, encodeProduceResponseV3 } from '../../src/protocol/produce/v3/response.js';
import { Reader } from '../../src/protocol/reader.js';
import {
  checkRecordBatch,
  decodeRecords,
  encodeRecordBatch,
  readRecordBatchHeader,
} from '../../src/protocol/record-batch.js';
import { decodeRequestHeader } from '../../src/protocol/request-header.js';
import { Writer } from '../../src/protocol/writer.js';
import {
  API_VERSIONS_V0_REQUEST,
  API_VERSIONS_V0_RESPONSE,
  API_VERSIONS_V2_REQUEST,
  API_VERSIONS_V2_RESPONSE,
  API_VERSIONS_V3_REQUEST,
  API_VERSIONS_V3_RESPONSE_OPTION_B,
  API_VERSIONS_V3_UNSUPPORTED_RESPONSE,
  PRODUCE_V3_BATCH,
  PRODUCE_V3_REQUEST,
  PRODUCE_V3_RESPONSE,
  withProduceMin0,
} from '../fixtures/spec-examples.js';
import { hex, RawClient } from '../helpers/raw-client.js';

/** Frame body reader positioned after the size field. */
const afterSize = (b: Buffer) => new Reader(b, 4);

/** The spec's §2 table (Produce 3..3); the broker advertises the same with Produce 0..3. */
const SPEC_TABLE = SUPPORTED_API_VERSIONS.map((k) =>
  k.apiKey === ApiKey.Produce ? { ...k, minVersion: 3 } : k,
);

it('the advertised table is the spec table except for Produce 0..3', () => {
  expect(SUPPORTED_API_VERSIONS.filter((k, i) => k.minVersion !== SPEC_TABLE[i].minVersion)).toEqual([
    { apiKey: 0, minVersion: 0, maxVersion: 3 },
  ]);
});

describe('§11.1 ApiVersions v2 (kafkajs)', () => {
  it('decodes the request header', () => {
    const frame = hex(API_VERSIONS_V2_REQUEST);
    expect(frame).toHaveLength(17);
    const r = afterSize(frame);
    expect(decodeRequestHeader(r)).toEqual({ apiKey: 18, apiVersion: 2, correlationId: 0, clientId: 'kjs' });
    expect(r.remaining()).toBe(0);
    expect(
      encodeRequestFrame({ apiKey: 18, apiVersion: 2, correlationId: 0, clientId: 'kjs' }, () => {}),
    ).toEqual(frame);
  });

  it('encodes the response byte for byte (codec, with the spec table)', () => {
    const expected = hex(API_VERSIONS_V2_RESPONSE);
    expect(expected).toHaveLength(102);
    const w = encodeApiVersionsResponseV2(new Writer(), {
      errorCode: 0,
      apiKeys: SPEC_TABLE,
      throttleTimeMs: 0,
    });
    expect(encodeResponseFrame(0, w.toBuffer())).toEqual(expected);
    expect(decodeApiVersionsResponseV2(new Reader(expected, 8))).toEqual({
      errorCode: 0,
      apiKeys: SPEC_TABLE,
      throttleTimeMs: 0,
    });
  });

  it("the broker's answer is those bytes with Produce min 0", () => {
    expect(encodeResponseFrame(0, encodeApiVersionsAnswer(2).toBuffer())).toEqual(
      hex(withProduceMin0(API_VERSIONS_V2_RESPONSE)),
    );
  });

  it('v1 has the same layout as v2', () => {
    expect(encodeApiVersionsAnswer(1).toBuffer()).toEqual(encodeApiVersionsAnswer(2).toBuffer());
  });
});

describe('§11.2 ApiVersions v3 → UNSUPPORTED_VERSION → v0 (librdkafka)', () => {
  it('decodes the flexible v3 request (header v2 with a classic client id)', () => {
    const frame = hex(API_VERSIONS_V3_REQUEST);
    const r = afterSize(frame);
    expect(decodeRequestHeader(r)).toEqual({
      apiKey: 18,
      apiVersion: 3,
      correlationId: 1,
      clientId: 'rdkafka',
    });
    expect(decodeApiVersionsRequestV3(r)).toEqual({
      clientSoftwareName: 'librdkafka',
      clientSoftwareVersion: '2.0.2',
    });
    expect(r.remaining()).toBe(0);
  });

  it('encodes the v0-layout answers byte for byte (codec, with the spec table)', () => {
    const v3 = encodeApiVersionsResponseV0(new Writer(), { errorCode: 35, apiKeys: SPEC_TABLE });
    expect(encodeResponseFrame(1, v3.toBuffer())).toEqual(hex(API_VERSIONS_V3_UNSUPPORTED_RESPONSE));
    const v0 = encodeApiVersionsResponseV0(new Writer(), { errorCode: 0, apiKeys: SPEC_TABLE });
    expect(encodeResponseFrame(2, v0.toBuffer())).toEqual(hex(API_VERSIONS_V0_RESPONSE));
  });

  it('the broker answers v3 with the v0 layout and error 35, and v0 normally (Produce min 0)', () => {
    expect(encodeResponseFrame(1, encodeApiVersionsAnswer(3).toBuffer())).toEqual(
      hex(withProduceMin0(API_VERSIONS_V3_UNSUPPORTED_RESPONSE)),
    );
    expect(encodeResponseFrame(2, encodeApiVersionsAnswer(0).toBuffer())).toEqual(
      hex(withProduceMin0(API_VERSIONS_V0_RESPONSE)),
    );
  });
});

describe('§11.3 ApiVersions v3 response layout (option B)', () => {
  it('encodes and decodes byte for byte', () => {
    const apiKeys = SPEC_TABLE.map((k) => (k.apiKey === ApiKey.ApiVersions ? { ...k, maxVersion: 3 } : k));
    const w = encodeApiVersionsResponseV3(new Writer(), { errorCode: 0, apiKeys, throttleTimeMs: 0 });
    const expected = hex(API_VERSIONS_V3_RESPONSE_OPTION_B);
    expect(encodeResponseFrame(1, w.toBuffer())).toEqual(expected);
    expect(decodeApiVersionsResponseV3(new Reader(expected, 8))).toEqual({
      errorCode: 0,
      apiKeys,
      throttleTimeMs: 0,
    });
  });
});

describe('§11.4 Produce v3 with a one-record batch', () => {
  it('decodes the request and its record batch', () => {
    const frame = hex(PRODUCE_V3_REQUEST);
    expect(frame).toHaveLength(125);
    const r = afterSize(frame);
    expect(decodeRequestHeader(r)).toEqual({ apiKey: 0, apiVersion: 3, correlationId: 5, clientId: 'kjs' });
    const req = decodeProduceRequestV3(r);
    expect(r.remaining()).toBe(0);
    expect(req).toMatchObject({ transactionalId: null, acks: -1, timeoutMs: 30000 });
    expect(req.topicData).toHaveLength(1);
    expect(req.topicData[0].name).toBe('test');
    const { index, records } = req.topicData[0].partitionData[0];
    expect(index).toBe(0);
    expect(records).toEqual(hex(PRODUCE_V3_BATCH));

    const batch = records!;
    expect(checkRecordBatch(batch)).toBeNull();
    expect(readRecordBatchHeader(batch)).toEqual({
      baseOffset: 0,
      batchLength: 66,
      partitionLeaderEpoch: 0,
      magic: 2,
      crc: 0x98aabe1f,
      attributes: 0,
      lastOffsetDelta: 0,
      baseTimestamp: 1700000000000,
      maxTimestamp: 1700000000000,
      producerId: 1000,
      producerEpoch: 0,
      baseSequence: 0,
      recordCount: 1,
    });
    expect(decodeRecords(batch)).toEqual([
      {
        attributes: 0,
        timestampDelta: 0,
        offsetDelta: 0,
        key: Buffer.from('k'),
        value: Buffer.from('hello'),
        headers: [{ key: 'h', value: Buffer.from('1') }],
      },
    ]);
  });

  it('re-encodes the batch (CRC included) and the whole request byte for byte', () => {
    const batch = encodeRecordBatch(
      [{ key: 'k', value: 'hello', headers: { h: '1' }, timestamp: 1700000000000 }],
      {
        producerId: 1000,
        producerEpoch: 0,
        baseSequence: 0,
      },
    );
    expect(batch.toString('hex')).toBe(PRODUCE_V3_BATCH);
    const frame = encodeRequestFrame({ apiKey: 0, apiVersion: 3, correlationId: 5, clientId: 'kjs' }, (w) =>
      encodeProduceRequestV3(w, {
        transactionalId: null,
        acks: -1,
        timeoutMs: 30000,
        topicData: [{ name: 'test', partitionData: [{ index: 0, records: batch }] }],
      }),
    );
    expect(frame.toString('hex')).toBe(PRODUCE_V3_REQUEST);
  });

  it('a kcat-style batch (producer fields -1) has the same record bytes', () => {
    const batch = encodeRecordBatch([
      { key: 'k', value: 'hello', headers: { h: '1' }, timestamp: 1700000000000 },
    ]);
    expect(batch.subarray(43, 57).toString('hex')).toBe('ffffffffffffffffffffffffffff');
    expect(batch.subarray(61).toString('hex')).toBe('20000000026b0a68656c6c6f0202680231');
  });

  it('encodes the response byte for byte', () => {
    const expected = hex(PRODUCE_V3_RESPONSE);
    expect(expected).toHaveLength(48);
    const res = {
      responses: [
        {
          name: 'test',
          partitionResponses: [{ index: 0, errorCode: 0, baseOffset: 0, logAppendTimeMs: -1 }],
        },
      ],
      throttleTimeMs: 0,
    };
    expect(encodeResponseFrame(5, encodeProduceResponseV3(new Writer(), res).toBuffer())).toEqual(expected);
    expect(decodeProduceResponseV3(new Reader(expected, 8))).toEqual(res);
  });
});

describe('§11 on the wire: a running broker answers the example requests byte for byte', () => {
  let broker: RunningBroker;
  beforeAll(async () => {
    broker = await startBroker();
  });
  afterAll(async () => {
    await broker.stop();
  });

  it('ApiVersions v2, v3 and v0', async () => {
    const c = await RawClient.connect(broker.port);
    c.write(hex(API_VERSIONS_V2_REQUEST));
    expect((await c.next()).frame).toEqual(hex(withProduceMin0(API_VERSIONS_V2_RESPONSE)).subarray(4));
    c.write(hex(API_VERSIONS_V3_REQUEST));
    expect((await c.next()).frame).toEqual(
      hex(withProduceMin0(API_VERSIONS_V3_UNSUPPORTED_RESPONSE)).subarray(4),
    );
    c.write(hex(API_VERSIONS_V0_REQUEST));
    expect((await c.next()).frame).toEqual(hex(withProduceMin0(API_VERSIONS_V0_RESPONSE)).subarray(4));
    expect(c.closed).toBe(false);
    c.close();
  });

  it('Produce v3 to a new topic "test" gets base offset 0, then 1 for the next batch', async () => {
    const c = await RawClient.connect(broker.port);
    // Metadata v4 [test] allow_auto_topic_creation=true creates the topic.
    c.write(c.frame(3, 4, (w) => w.array(['test'], (ww, t) => ww.string(t)).boolean(true)));
    await c.next();
    c.write(hex(PRODUCE_V3_REQUEST));
    expect((await c.next()).frame).toEqual(hex(PRODUCE_V3_RESPONSE).subarray(4));
    // Same producer, next sequence: offset 1.
    const next = encodeRecordBatch([{ key: 'k', value: 'again', timestamp: 1700000000001 }], {
      producerId: 1000,
      producerEpoch: 0,
      baseSequence: 1,
    });
    c.write(
      c.frame(0, 3, (w) =>
        encodeProduceRequestV3(w, {
          transactionalId: null,
          acks: -1,
          timeoutMs: 30000,
          topicData: [{ name: 'test', partitionData: [{ index: 0, records: next }] }],
        }),
      ),
    );
    const res = decodeProduceResponseV3((await c.next()).body);
    expect(res.responses[0].partitionResponses[0]).toEqual({
      index: 0,
      errorCode: 0,
      baseOffset: 1,
      logAppendTimeMs: -1,
    });
    c.close();
  });
});
