import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/**
 * CreateTopics Request (Version: 2) => [topics] timeout_ms validate_only
 *   topics => name STRING, num_partitions INT32 (-1 = broker default), replication_factor INT16 (-1 = default),
 *             [assignments] (partition_index INT32, [broker_ids INT32]),
 *             [configs] (name STRING, value NULLABLE_STRING)
 *   timeout_ms => INT32
 *   validate_only => BOOLEAN
 */
export interface CreatableReplicaAssignment {
  partitionIndex: number;
  brokerIds: number[];
}

export interface CreatableTopicConfig {
  name: string;
  value: string | null;
}

export interface CreatableTopic {
  name: string;
  numPartitions: number;
  replicationFactor: number;
  assignments: CreatableReplicaAssignment[];
  configs: CreatableTopicConfig[];
}

export interface CreateTopicsRequestV2 {
  topics: CreatableTopic[];
  timeoutMs: number;
  validateOnly: boolean;
}

export function decodeCreateTopicsRequestV2(r: Reader): CreateTopicsRequestV2 {
  return {
    topics: r.array((rr) => ({
      name: rr.string(),
      numPartitions: rr.int32(),
      replicationFactor: rr.int16(),
      assignments: rr.array((ar) => ({ partitionIndex: ar.int32(), brokerIds: ar.array((x) => x.int32()) })),
      configs: rr.array((cr) => ({ name: cr.string(), value: cr.nullableString() })),
    })),
    timeoutMs: r.int32(),
    validateOnly: r.boolean(),
  };
}

export function encodeCreateTopicsRequestV2(w: Writer, req: CreateTopicsRequestV2): Writer {
  w.array(req.topics, (ww, t) => {
    ww.string(t.name).int32(t.numPartitions).int16(t.replicationFactor);
    ww.array(t.assignments, (aw, a) => {
      aw.int32(a.partitionIndex).array(a.brokerIds, (bw, id) => {
        bw.int32(id);
      });
    });
    ww.array(t.configs, (cw, c) => {
      cw.string(c.name).nullableString(c.value);
    });
  });
  return w.int32(req.timeoutMs).boolean(req.validateOnly);
}
