import { fail } from '../bgp/decode-error.js';
import {
  BMP_COMMON_HEADER_SIZE,
  BMP_INITIATION,
  BMP_MESSAGE_KINDS,
  BMP_PEER_DOWN,
  BMP_PEER_UP,
  BMP_PER_PEER_HEADER_SIZE,
  BMP_ROUTE_MIRRORING,
  BMP_ROUTE_MONITORING,
  BMP_STATISTICS_REPORT,
  BMP_TERMINATION,
  bmpHeaderProblem,
  readBmpCommonHeader,
} from './bmp-header.js';
import {
  type BmpInitiationBody,
  type BmpTerminationBody,
  decodeInitiation,
  decodeTermination,
} from './initiation-termination.js';
import { type BmpPeerDownBody, decodePeerDown } from './peer-down.js';
import { type BmpPeerUpBody, decodePeerUp } from './peer-up.js';
import { type BmpPerPeerHeader, decodePerPeerHeader } from './per-peer-header.js';
import { type BmpRouteMirroringBody, decodeRouteMirroring } from './route-mirroring.js';
import { type BmpRouteMonitoringBody, decodeRouteMonitoring } from './route-monitoring.js';
import { type BmpStatsReportBody, decodeStatsReport } from './stats-report.js';

interface BmpMessageBase {
  /** Common header: always 3 once decoded. */
  version: number;
  /** Total length, common header included. */
  length: number;
  type: number;
}

export interface BmpRouteMonitoringMessage extends BmpMessageBase, BmpRouteMonitoringBody {
  kind: 'route-monitoring';
  peer: BmpPerPeerHeader;
}
export interface BmpStatsReportMessage extends BmpMessageBase, BmpStatsReportBody {
  kind: 'stats-report';
  peer: BmpPerPeerHeader;
}
export interface BmpPeerDownMessage extends BmpMessageBase, BmpPeerDownBody {
  kind: 'peer-down';
  peer: BmpPerPeerHeader;
}
export interface BmpPeerUpMessage extends BmpMessageBase, BmpPeerUpBody {
  kind: 'peer-up';
  peer: BmpPerPeerHeader;
}
export interface BmpRouteMirroringMessage extends BmpMessageBase, BmpRouteMirroringBody {
  kind: 'route-mirroring';
  peer: BmpPerPeerHeader;
}
export interface BmpInitiationMessage extends BmpMessageBase, BmpInitiationBody {
  kind: 'initiation';
  peer: null;
}
export interface BmpTerminationMessage extends BmpMessageBase, BmpTerminationBody {
  kind: 'termination';
  peer: null;
}

/** One decoded BMP message; `kind` tells which, `peer` is its per-peer header (null for Initiation and Termination). */
export type BmpMessage =
  | BmpRouteMonitoringMessage
  | BmpStatsReportMessage
  | BmpPeerDownMessage
  | BmpPeerUpMessage
  | BmpRouteMirroringMessage
  | BmpInitiationMessage
  | BmpTerminationMessage;

/**
 * Decodes the BMP message at `off` (common header first; `end` may lie past it: the message's own
 * length says where it ends). Every header field is there, so users can tell pre-policy from
 * post-policy (`peer.postPolicy`, `peer.rib`), Adj-RIB-In from Adj-RIB-Out and Loc-RIB. Byte
 * fields are views into `buf`. Throws DecodeError on malformed bytes.
 */
export function decodeBmpMessage(buf: Uint8Array, off: number, end: number): BmpMessage {
  if (off + BMP_COMMON_HEADER_SIZE > end) fail('BMP common header truncated');
  const h = readBmpCommonHeader(buf, off);
  const problem = bmpHeaderProblem(h);
  if (problem) fail(problem);
  const msgEnd = off + h.length;
  if (msgEnd > end) fail(`BMP message length ${h.length} runs past the ${end - off} bytes available`);
  const { version, length, type } = h;
  const body = off + BMP_COMMON_HEADER_SIZE;
  // Object literals with every field spelled out: spreading the body objects costs more than the
  // decoding itself on route monitoring, the message that matters.
  if (type === BMP_INITIATION) {
    const b = decodeInitiation(buf, body, msgEnd);
    return {
      version,
      length,
      type,
      kind: 'initiation',
      peer: null,
      information: b.information,
      sysName: b.sysName,
      sysDescr: b.sysDescr,
      strings: b.strings,
    };
  }
  if (type === BMP_TERMINATION) {
    const b = decodeTermination(buf, body, msgEnd);
    return {
      version,
      length,
      type,
      kind: 'termination',
      peer: null,
      information: b.information,
      reason: b.reason,
      reasonName: b.reasonName,
      strings: b.strings,
    };
  }
  const peer = decodePerPeerHeader(buf, body, msgEnd);
  const p = body + BMP_PER_PEER_HEADER_SIZE;
  switch (type) {
    case BMP_ROUTE_MONITORING: {
      const b = decodeRouteMonitoring(buf, p, msgEnd);
      return {
        version,
        length,
        type,
        kind: 'route-monitoring',
        peer,
        bgpType: b.bgpType,
        bgpMessage: b.bgpMessage,
        bodyStart: b.bodyStart,
        bodyEnd: b.bodyEnd,
      };
    }
    case BMP_STATISTICS_REPORT:
      return {
        version,
        length,
        type,
        kind: 'stats-report',
        peer,
        stats: decodeStatsReport(buf, p, msgEnd).stats,
      };
    case BMP_PEER_DOWN: {
      const b = decodePeerDown(buf, p, msgEnd);
      return {
        version,
        length,
        type,
        kind: 'peer-down',
        peer,
        reason: b.reason,
        reasonName: b.reasonName,
        notification: b.notification,
        fsmEvent: b.fsmEvent,
        information: b.information,
        data: b.data,
      };
    }
    case BMP_PEER_UP: {
      const b = decodePeerUp(buf, p, msgEnd, peer);
      return {
        version,
        length,
        type,
        kind: 'peer-up',
        peer,
        localAddress: b.localAddress,
        localPort: b.localPort,
        remotePort: b.remotePort,
        sentOpen: b.sentOpen,
        receivedOpen: b.receivedOpen,
        information: b.information,
      };
    }
    case BMP_ROUTE_MIRRORING:
      return {
        version,
        length,
        type,
        kind: 'route-mirroring',
        peer,
        items: decodeRouteMirroring(buf, p, msgEnd).items,
      };
    default:
      return fail(`unknown BMP message type ${type} (${BMP_MESSAGE_KINDS[type] ?? '?'})`);
  }
}
