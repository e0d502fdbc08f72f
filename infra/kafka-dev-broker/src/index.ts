/** @bgpstream-ts/kafka-dev-broker: a Kafka-protocol development broker for tests and laptops (not production). */
export { type BrokerOptions, type RunningBroker, startBroker } from './broker.js';
export type { GroupState } from './group-coordinator.js';
export { SUPPORTED_API_VERSIONS } from './protocol/api-keys.js';
export { crc32c } from './protocol/crc32c.js';
export {
  type BatchRecord,
  Compression,
  decodeRecords,
  type EncodeBatchOptions,
  encodeRecordBatch,
  type RecordBatchHeader,
  type RecordInput,
  readRecordBatchHeader,
} from './protocol/record-batch.js';
