/** Typed one-call requests over a RawClient. */
import { ApiKey } from '../../src/protocol/api-keys.js';
import {
  type CreatableTopic,
  encodeCreateTopicsRequestV2,
} from '../../src/protocol/create-topics/v2/request.js';
import { decodeCreateTopicsResponseV2 } from '../../src/protocol/create-topics/v2/response.js';
import { encodeFetchRequestV4, type FetchRequestV4 } from '../../src/protocol/fetch/v4/request.js';
import { decodeFetchResponseV4 } from '../../src/protocol/fetch/v4/response.js';
import { encodeInitProducerIdRequestV0 } from '../../src/protocol/init-producer-id/v0/request.js';
import { decodeInitProducerIdResponseV0 } from '../../src/protocol/init-producer-id/v0/response.js';
import { encodeListOffsetsRequestV2 } from '../../src/protocol/list-offsets/v2/request.js';
import { decodeListOffsetsResponseV2 } from '../../src/protocol/list-offsets/v2/response.js';
import { encodeMetadataRequestV4 } from '../../src/protocol/metadata/v4/request.js';
import { decodeMetadataResponseV4 } from '../../src/protocol/metadata/v4/response.js';
import { encodeProduceRequestV3 } from '../../src/protocol/produce/v3/request.js';
import {
  decodeProduceResponseV3,
  type ProducePartitionResponse,
} from '../../src/protocol/produce/v3/response.js';
import { splitRecordBatches } from '../../src/protocol/record-batch.js';
import type { RawClient } from './raw-client.js';

export function metadata(c: RawClient, topics: string[] | null, allowAutoTopicCreation = false) {
  return c.request(
    ApiKey.Metadata,
    4,
    (w) => encodeMetadataRequestV4(w, { topics, allowAutoTopicCreation }),
    decodeMetadataResponseV4,
  );
}

export async function createTopics(c: RawClient, topics: Partial<CreatableTopic>[], validateOnly = false) {
  const res = await c.request(
    ApiKey.CreateTopics,
    2,
    (w) =>
      encodeCreateTopicsRequestV2(w, {
        topics: topics.map((t) => ({
          name: t.name ?? 'topic',
          numPartitions: t.numPartitions ?? -1,
          replicationFactor: t.replicationFactor ?? -1,
          assignments: t.assignments ?? [],
          configs: t.configs ?? [],
        })),
        timeoutMs: 5000,
        validateOnly,
      }),
    decodeCreateTopicsResponseV2,
  );
  return res.topics;
}

export async function produce(
  c: RawClient,
  topic: string,
  partition: number,
  records: Buffer | null,
  acks = -1,
): Promise<ProducePartitionResponse> {
  const res = await c.request(
    ApiKey.Produce,
    3,
    (w) =>
      encodeProduceRequestV3(w, {
        transactionalId: null,
        acks,
        timeoutMs: 30000,
        topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
      }),
    decodeProduceResponseV3,
  );
  return res.responses[0].partitionResponses[0];
}

export async function fetch(c: RawClient, req: Partial<FetchRequestV4> & Pick<FetchRequestV4, 'topics'>) {
  const res = await c.request(
    ApiKey.Fetch,
    4,
    (w) =>
      encodeFetchRequestV4(w, {
        replicaId: -1,
        maxWaitMs: 0,
        minBytes: 1,
        maxBytes: 52428800,
        isolationLevel: 1,
        ...req,
      }),
    decodeFetchResponseV4,
  );
  return res.responses;
}

/** Fetches one partition and splits the records into batches. */
export async function fetchBatches(
  c: RawClient,
  topic: string,
  partition: number,
  fetchOffset: number,
  extra: Partial<FetchRequestV4> = {},
) {
  const [t] = await fetch(c, {
    topics: [{ topic, partitions: [{ partition, fetchOffset, partitionMaxBytes: 1048576 }] }],
    ...extra,
  });
  const p = t.partitions[0];
  return { ...p, batches: p.records.length === 0 ? [] : splitRecordBatches(p.records[0]) };
}

export async function listOffsets(c: RawClient, topic: string, partition: number, timestamp: number) {
  const res = await c.request(
    ApiKey.ListOffsets,
    2,
    (w) =>
      encodeListOffsetsRequestV2(w, {
        replicaId: -1,
        isolationLevel: 1,
        topics: [{ name: topic, partitions: [{ partitionIndex: partition, timestamp }] }],
      }),
    decodeListOffsetsResponseV2,
  );
  return res.topics[0].partitions[0];
}

export function initProducerId(c: RawClient, transactionalId: string | null = null, version = 1) {
  return c.request(
    ApiKey.InitProducerId,
    version,
    (w) => encodeInitProducerIdRequestV0(w, { transactionalId, transactionTimeoutMs: 60000 }),
    decodeInitProducerIdResponseV0,
  );
}
