export {
  type BgpLegacyHeader,
  type BgpLegacyStateChange,
  type BgpLegacyUpdate,
  encodeBgpLegacyStateChange,
  encodeBgpLegacyUpdate,
} from './bgp-legacy.js';
export {
  addPathCapability,
  type BgpCapability,
  type BgpNotification,
  type BgpOpen,
  type BgpUpdate,
  encodeBgpMessage,
  encodeKeepaliveMessage,
  encodeNotificationMessage,
  encodeOpenMessage,
  encodeUpdateBody,
  encodeUpdateMessage,
  fourOctetAsCapability,
  multiprotocolCapability,
} from './bgp-message.js';
export {
  type Bgp4mpHeader,
  type Bgp4mpMessageHeader,
  type Bgp4mpStateChange,
  type Bgp4mpUpdate,
  bgp4mpMessageSubtype,
  encodeBgp4mpKeepalive,
  encodeBgp4mpMessage,
  encodeBgp4mpNotification,
  encodeBgp4mpOpen,
  encodeBgp4mpStateChange,
  encodeBgp4mpUpdate,
} from './bgp4mp.js';
export { ByteWriter } from './byte-writer.js';
export { concatRecords, encodeMrtRecord, type MrtRecordHeader } from './mrt-writer.js';
export {
  AS_TRANS,
  type AttributeEncoding,
  encodePathAttributes,
  type MpReachNlri,
  type MpUnreachNlri,
} from './path-attributes.js';
export { encodeRecordsFromElems } from './records-from-elems.js';
export { encodeTableDump, type TableDumpInput } from './table-dump.js';
export {
  encodePeerIndexTable,
  encodeRibRecord,
  type PeerIndexPeer,
  type PeerIndexTableInput,
  type RibEntryInput,
  type RibRecordInput,
} from './table-dump-v2.js';
