// The public surface of @bgpstream-ts/kafka. Importing it registers the `kafka` data interface and
// the opener of its `kafka://` resources with @bgpstream-ts/core.

import { registerDataInterface, registerResourceOpener } from '@bgpstream-ts/core';
import { kafkaType } from './kafka-data-interface.js';
import { openKafkaResource } from './kafka-source.js';
import { KAFKA_SCHEME } from './kafka-url.js';

registerDataInterface(kafkaType);
registerResourceOpener(KAFKA_SCHEME, openKafkaResource);

export {
  type CheckpointDump,
  type CheckpointFile,
  type InFlightFlush,
  readCheckpoint,
} from './checkpoint.js';
export { elemJsonText, elemToJson, jsonToRecord } from './elem-json.js';
export {
  type ExportToKafkaOptions,
  exportToKafka,
  type KafkaExportProgress,
  type KafkaExportSummary,
} from './export-to-kafka.js';
export {
  checkBrokers,
  KafkaConnectError,
  type KafkaConnectionOptions,
  parseBrokers,
} from './kafka-client.js';
export { KafkaDataInterface, kafkaType } from './kafka-data-interface.js';
export {
  formatKafkaExportSummary,
  KAFKA_EXPORT_HELP,
  KAFKA_EXPORT_OPTIONS,
  KAFKA_EXPORT_VALUE_OPTIONS,
  type KafkaExportInput,
  type KafkaExportIo,
  KafkaUsageError,
  kafkaExport,
  kafkaExportOptionsFromArgv,
} from './kafka-export-cli.js';
export { type KafkaSourceSettings, openKafkaResource, setKafkaSourceSettings } from './kafka-source.js';
export {
  KAFKA_DATA_TYPES,
  type KafkaDataType,
  type KafkaSourceConfig,
  kafkaUrl,
  parseKafkaUrl,
} from './kafka-url.js';
export { choosePartition, type KeyMode, murmur2, partitionForKey } from './partitioner.js';
export { compareRecordIds, dumpKey, type ParsedRecordId, parseRecordId, recordId } from './record-ids.js';
export { DEFAULT_TOPIC_TEMPLATE, sanitizeTopicName, TopicTemplate } from './topic-names.js';
