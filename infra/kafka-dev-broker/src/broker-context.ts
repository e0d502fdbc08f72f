import type { GroupCoordinator } from './group-coordinator.js';
import type { Reader } from './protocol/reader.js';
import type { RequestHeader } from './protocol/request-header.js';
import type { Writer } from './protocol/writer.js';
import type { TopicStore } from './topic-store.js';

/** Settings every handler reads. */
export interface BrokerSettings {
  nodeId: number;
  clusterId: string;
  /** Partition count for auto-created topics and CreateTopics with num_partitions -1. */
  defaultPartitions: number;
  autoCreateTopics: boolean;
  /** Largest record batch accepted by Produce (Kafka's `message.max.bytes`). */
  maxMessageBytes: number;
  /** Decode uncompressed and gzip batches on Produce to check their records. */
  validateRecords: boolean;
}

/** What a request handler can reach. */
export interface BrokerContext {
  readonly settings: BrokerSettings;
  /** The host and port clients are told to connect to (Metadata, FindCoordinator). */
  readonly advertised: { host: string; port: number };
  readonly store: TopicStore;
  readonly groups: GroupCoordinator;
  nextProducerId(): number;
  /** True once stop() began: long polls end and their responses are dropped. */
  isStopping(): boolean;
  /** Resolves when stop() begins. */
  readonly stopping: Promise<void>;
  log(message: string): void;
}

export interface RequestContext {
  header: RequestHeader;
  body: Reader;
}

/** Returns the encoded response body, or null when no response is sent (Produce with acks = 0). */
export type ApiHandler = (ctx: BrokerContext, req: RequestContext) => Writer | null | Promise<Writer | null>;
