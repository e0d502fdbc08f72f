import type { ApiHandler } from '../broker-context.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { decodeMetadataRequestV4 } from '../protocol/metadata/v4/request.js';
import { encodeMetadataResponseV4, type MetadataTopic } from '../protocol/metadata/v4/response.js';
import { Writer } from '../protocol/writer.js';
import { isValidTopicName, type Topic } from '../topic-store.js';

/**
 * Metadata v4: one broker (this one, at its advertised address), which is also the controller. A null topic
 * list means every topic, an empty one no topics. Missing topics are created when both the request and the
 * broker allow it, and returned at once with their partitions.
 */
export const handleMetadata: ApiHandler = (ctx, { body }) => {
  const req = decodeMetadataRequestV4(body);
  const { nodeId } = ctx.settings;
  const describe = (t: Topic): MetadataTopic => ({
    errorCode: ErrorCode.NONE,
    name: t.name,
    isInternal: false,
    partitions: t.partitions.map((p) => ({
      errorCode: ErrorCode.NONE,
      partitionIndex: p.index,
      leaderId: nodeId,
      replicaNodes: [nodeId],
      isrNodes: [nodeId],
    })),
  });
  const missing = (name: string, errorCode: number): MetadataTopic => ({
    errorCode,
    name,
    isInternal: false,
    partitions: [],
  });

  let topics: MetadataTopic[];
  if (req.topics === null) {
    topics = ctx.store.topics().map(describe);
  } else {
    topics = [...new Set(req.topics)].map((name) => {
      const existing = ctx.store.get(name);
      if (existing !== undefined) return describe(existing);
      if (!isValidTopicName(name)) return missing(name, ErrorCode.INVALID_TOPIC_EXCEPTION);
      if (req.allowAutoTopicCreation && ctx.settings.autoCreateTopics) {
        ctx.log(`auto-creating topic ${name} with ${ctx.settings.defaultPartitions} partition(s)`);
        return describe(ctx.store.create(name, ctx.settings.defaultPartitions));
      }
      return missing(name, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    });
  }
  return encodeMetadataResponseV4(new Writer(256), {
    throttleTimeMs: 0,
    brokers: [{ nodeId, host: ctx.advertised.host, port: ctx.advertised.port, rack: null }],
    clusterId: ctx.settings.clusterId,
    controllerId: nodeId,
    topics,
  });
};
