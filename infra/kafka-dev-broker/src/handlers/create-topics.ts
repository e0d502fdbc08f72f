import type { ApiHandler } from '../broker-context.js';
import { decodeCreateTopicsRequestV2 } from '../protocol/create-topics/v2/request.js';
import {
  type CreatableTopicResult,
  encodeCreateTopicsResponseV2,
} from '../protocol/create-topics/v2/response.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { Writer } from '../protocol/writer.js';
import { isValidTopicName } from '../topic-store.js';

/**
 * CreateTopics v2. num_partitions and replication_factor -1 mean the broker defaults (kafkajs sends -1 for
 * the replication factor). A replication factor above 1 fails as it would on a real one-broker cluster.
 * Manual replica assignments are accepted when they only name this broker.
 */
export const handleCreateTopics: ApiHandler = (ctx, { body }) => {
  const req = decodeCreateTopicsRequestV2(body);
  const counts = new Map<string, number>();
  for (const t of req.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
  const { nodeId } = ctx.settings;

  const topics = req.topics.map((t): CreatableTopicResult => {
    const fail = (errorCode: number, errorMessage: string) => ({ name: t.name, errorCode, errorMessage });
    if ((counts.get(t.name) ?? 0) > 1)
      return fail(ErrorCode.INVALID_REQUEST, `Topic ${t.name} is listed twice.`);
    if (!isValidTopicName(t.name))
      return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, `Invalid topic name '${t.name}'.`);
    if (ctx.store.get(t.name) !== undefined) {
      return fail(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`);
    }
    let partitions: number;
    if (t.assignments.length > 0) {
      if (t.numPartitions !== -1 || t.replicationFactor !== -1) {
        return fail(
          ErrorCode.INVALID_REQUEST,
          'Both a replica assignment and partitions/replication were given.',
        );
      }
      const indexes = t.assignments.map((a) => a.partitionIndex).sort((a, b) => a - b);
      if (indexes.some((p, i) => p !== i)) {
        return fail(ErrorCode.INVALID_PARTITIONS, 'Replica assignment partitions must be 0..n-1.');
      }
      if (t.assignments.some((a) => a.brokerIds.length !== 1 || a.brokerIds[0] !== nodeId)) {
        return fail(ErrorCode.INVALID_REPLICATION_FACTOR, `Only broker ${nodeId} exists.`);
      }
      partitions = indexes.length;
    } else {
      if (t.numPartitions === 0 || t.numPartitions < -1) {
        return fail(
          ErrorCode.INVALID_PARTITIONS,
          `Number of partitions must be larger than 0 (${t.numPartitions}).`,
        );
      }
      if (t.replicationFactor !== -1 && t.replicationFactor !== 1) {
        return fail(
          ErrorCode.INVALID_REPLICATION_FACTOR,
          `Replication factor: ${t.replicationFactor} larger than available brokers: 1.`,
        );
      }
      partitions = t.numPartitions === -1 ? ctx.settings.defaultPartitions : t.numPartitions;
    }
    if (!req.validateOnly) {
      ctx.store.create(
        t.name,
        partitions,
        t.configs.map((c) => ({ name: c.name, value: c.value })),
      );
      ctx.log(`created topic ${t.name} with ${partitions} partition(s)`);
    }
    return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null };
  });
  return encodeCreateTopicsResponseV2(new Writer(128), { throttleTimeMs: 0, topics });
};
