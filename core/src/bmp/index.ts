/**
 * BMP (RFC 7854, with RFC 8671 Adj-RIB-Out and RFC 9069 Loc-RIB) and the OpenBMP v1.7 header.
 *
 * Records and elems, as BGPStream makes them:
 * - Route Monitoring UPDATE: one A/W elem per prefix. Record time: the OpenBMP header's, else the
 *   per-peer header's; elem `origTimeSec`: the per-peer header's seconds.
 * - Peer Up: one S elem, old state UNKNOWN (0), new state ACTIVE (3). ACTIVE, not ESTABLISHED, is
 *   what libbgpstream 2.3.0 says (spec 4.2), reproduced so that filters and outputs match.
 * - Peer Down: one S elem, UNKNOWN to IDLE (1). The reason is in the low-level message.
 * - Statistics Report, Initiation, Termination, Route Mirroring and non-UPDATE Route Monitoring:
 *   no record, as in BGPStream; with `allMessages: true` a `valid` record with 0 elems each.
 *
 * Pre- vs post-policy, Adj-RIB-In/Out, Loc-RIB: elems do not say. Each record keeps its bytes in
 * `record.raw`; `bmpRecordInfo(record)` decodes them again into the full message:
 * `bmpRecordInfo(rec)?.message.peer?.postPolicy`, `.peer.rib` ('adj-rib-in-pre-policy',
 * 'adj-rib-in-post-policy', 'adj-rib-out-…', 'loc-rib'), `.peer.distinguisher`, `.peer.bgpId`,
 * the OpenBMP header... `decodeBmpMessage(buf, off, end)` is the same decoder for your own bytes.
 *
 * `record.router`: the OpenBMP router group when there is one, else the sysName of the router's
 * Initiation message (BGPStream leaves it empty without OpenBMP). `record.routerIp`: OpenBMP only.
 *
 * Deliberate differences from libbgpstream 2.3.0:
 * - Without an OpenBMP header the record time is the per-peer header time (the reference leaves
 *   0). Messages without one (Initiation, Termination) or with time 0 (FRR's End-of-RIB) take the
 *   last time seen in the stream, else the dump time.
 * - The AS_PATH ASN size of route monitoring comes from the peer's Peer Up OPENs (4 bytes only when
 *   both carry the 4-octet AS capability) or the A flag, not from the A flag alone: FRR 8.4 never
 *   sets A but sends 2-byte paths (with AS4_PATH) for peers without the capability. Without a Peer
 *   Up for the peer: A flag, peer AS 23456, AS4_PATH / AS4_AGGREGATOR or a 6-byte AGGREGATOR mean
 *   2 bytes, else 4 (with a fall-back to 2 when the path does not parse).
 * - ADD-PATH path ids are read when the Peer Up OPENs negotiated ADD-PATH in the direction of the
 *   RIB (detected, because FRR strips them though it negotiated them), and exposed as `elem.pathId`.
 * - An empty OpenBMP admin id keeps the resource's collector name (the reference sets it empty).
 * - Corrupt input gives `corrupted-record` records and the reader resynchronises on the next
 *   plausible message, instead of skipping the rest of a 1 MiB read buffer.
 */
export { type AddPathFamily, type BgpCapabilityValue, type BgpOpenInfo, decodeBgpOpen } from './bgp-open.js';
export {
  BMP_COMMON_HEADER_SIZE,
  BMP_INITIATION,
  BMP_MAX_MESSAGE_LENGTH,
  BMP_MESSAGE_KINDS,
  BMP_PEER_DOWN,
  BMP_PEER_UP,
  BMP_ROUTE_MIRRORING,
  BMP_ROUTE_MONITORING,
  BMP_STATISTICS_REPORT,
  BMP_TERMINATION,
  BMP_VERSION,
  type BmpCommonHeader,
  type BmpMessageKind,
  type BmpTlv,
  readBmpCommonHeader,
} from './bmp-header.js';
export {
  type BmpInitiationMessage,
  type BmpMessage,
  type BmpPeerDownMessage,
  type BmpPeerUpMessage,
  type BmpRouteMirroringMessage,
  type BmpRouteMonitoringMessage,
  type BmpStatsReportMessage,
  type BmpTerminationMessage,
  decodeBmpMessage,
} from './bmp-message.js';
export {
  type BmpMessageOptions,
  BmpReader,
  type BmpReaderOptions,
  type BmpReaderStats,
  type BmpRecordInfo,
  bmpMessageToRecords,
  bmpRecordInfo,
  decodeBmpRaw,
  type OpenBmpMode,
  type ReadBmpFileOptions,
  type ReadBmpOptions,
  readBmp,
  readBmpBatches,
  readBmpElems,
  readBmpFileBatches,
} from './bmp-reader.js';
export { BMP_PEER_DOWN_STATE, BMP_PEER_UP_STATE } from './bmp-records.js';
export { type BmpPeerCapabilities, BmpSession } from './bmp-session.js';
export * as bmpEncode from './encode.js';
export type { BmpInitiationBody, BmpTerminationBody } from './initiation-termination.js';
export { decodeOpenBmpHeader, type OpenBmpHeader } from './openbmp-header.js';
export type { BgpNotificationInfo, BmpPeerDownBody } from './peer-down.js';
export type { BmpInformation, BmpPeerUpBody } from './peer-up.js';
export {
  type BmpPerPeerHeader,
  type BmpRib,
  PEER_TYPE_GLOBAL_INSTANCE,
  PEER_TYPE_LOC_RIB_INSTANCE,
  PEER_TYPE_LOCAL_INSTANCE,
  PEER_TYPE_RD_INSTANCE,
} from './per-peer-header.js';
export type { BmpMirroredItem, BmpRouteMirroringBody } from './route-mirroring.js';
export type { BmpStat, BmpStatsReportBody } from './stats-report.js';
