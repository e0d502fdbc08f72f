// The public surface of @bgpstream-ts/core.

export * from './bmp/index.js';
export { LineWriter } from './cli/line-writer.js';
export {
  buildStream,
  checkDashArguments,
  STREAM_VALUE_OPTIONS,
  streamOptionSpec,
  streamOptionsHelp,
  UsageError,
} from './cli/stream-options.js';
export type {
  DataInterface,
  DataInterfaceOptionSpec,
  DataInterfaceType,
  Resource,
  ResourceFormat,
  ResourceQuery,
} from './datainterfaces/index.js';
export {
  getDataInterfaceType,
  getDataInterfaceTypes,
  registerDataInterface,
} from './datainterfaces/index.js';
export { buildDemoDump, DEMO_FACTS } from './demo/demo-data.js';
export * from './encode/index.js';
export { type BgpdumpOptions, bgpdumpLine } from './format/bgpdump-line.js';
export { bgpreaderBgpdumpLine, bgpreaderElemLine, bgpreaderRecordLine } from './format/bgpreader-line.js';
export { readRisLiveBatches, risLiveLineToRecord } from './formats/ris-live.js';
export type { Compression } from './io/index.js';
export { detectCompression, openByteStream, SourceError } from './io/index.js';
export { type AddressFamily, IpAddress } from './model/address.js';
export {
  AS_CONFED_SEQUENCE,
  AS_CONFED_SET,
  AS_SEQUENCE,
  AS_SET,
  AsPath,
  type AsPathSegment,
} from './model/as-path.js';
export { Elem, type ElemType, PEER_STATES, peerStateName } from './model/elem.js';
export { type Aggregator, PathAttributes, type RawAttribute } from './model/path-attributes.js';
export { Prefix } from './model/prefix.js';
export {
  BgpRecord,
  type DumpPosition,
  type RecordSource,
  type RecordStatus,
  type RecordType,
} from './model/record.js';
export {
  MrtReader,
  type MrtReaderOptions,
  type MrtReaderStats,
  type TimeInterval,
} from './mrt/mrt-reader.js';
export * as mrtTypes from './mrt/mrt-types.js';
export { type ReadMrtOptions, readMrt, readMrtBatches, readMrtElems } from './mrt/read-mrt.js';
export { BGPStream, type BGPStreamOptions } from './stream/bgpstream.js';
export { mergeRecordStreams } from './stream/merge.js';
export { type OpenResourceOptions, openResource } from './stream/open-resource.js';
export { type ResourceOpener, registerResourceOpener } from './stream/resource-openers.js';
export { parseTime } from './stream/time.js';
