import { fail } from '../bgp/decode-error.js';
import { BGP_NOTIFICATION, frameBgpMessage } from '../bgp/message.js';
import { readBmpTlvs } from './bmp-header.js';
import { type BmpInformation, toInformation } from './peer-up.js';

/** Peer Down reasons (RFC 7854 4.9, RFC 9069 4.4). */
export const PEER_DOWN_LOCAL_NOTIFICATION = 1;
export const PEER_DOWN_LOCAL_NO_NOTIFICATION = 2;
export const PEER_DOWN_REMOTE_NOTIFICATION = 3;
export const PEER_DOWN_REMOTE_NO_DATA = 4;
export const PEER_DOWN_DECONFIGURED = 5;
export const PEER_DOWN_LOC_RIB_SESSION_CLOSED = 6;

const REASON_NAMES: Record<number, string> = {
  1: 'local-notification',
  2: 'local-no-notification',
  3: 'remote-notification',
  4: 'remote-no-data',
  5: 'peer-deconfigured',
  6: 'loc-rib-session-closed',
};

export function peerDownReasonName(reason: number): string {
  return REASON_NAMES[reason] ?? `reason-${reason}`;
}

export interface BgpNotificationInfo {
  code: number;
  subcode: number;
  /** A view into the message bytes (for Cease subcodes 2 and 4, the RFC 9003 shutdown text). */
  data: Uint8Array;
}

export interface BmpPeerDownBody {
  reason: number;
  reasonName: string;
  /** Reasons 1 and 3: the NOTIFICATION sent or received. */
  notification: BgpNotificationInfo | null;
  /** Reason 2: the FSM event code that closed the session. */
  fsmEvent: number | null;
  /** Reason 6: information TLVs. */
  information: BmpInformation[];
  /** The bytes after the reason, whatever they hold. */
  data: Uint8Array;
}

/** The body of a Peer Down notification, from just after the per-peer header to `end`. */
export function decodePeerDown(buf: Uint8Array, off: number, end: number): BmpPeerDownBody {
  if (off + 1 > end) fail('BMP peer down: reason missing');
  const reason = buf[off];
  const p = off + 1;
  let notification: BgpNotificationInfo | null = null;
  let fsmEvent: number | null = null;
  let information: BmpInformation[] = [];
  switch (reason) {
    case PEER_DOWN_LOCAL_NOTIFICATION:
    case PEER_DOWN_REMOTE_NOTIFICATION: {
      const f = frameBgpMessage(buf, p, end);
      if (f.type !== BGP_NOTIFICATION)
        fail(`BMP peer down reason ${reason}: BGP message type ${f.type}, expected NOTIFICATION`);
      if (f.bodyEnd - f.bodyStart < 2) fail('BMP peer down: NOTIFICATION without error code');
      notification = {
        code: buf[f.bodyStart],
        subcode: buf[f.bodyStart + 1],
        data: buf.subarray(f.bodyStart + 2, f.bodyEnd),
      };
      break;
    }
    case PEER_DOWN_LOCAL_NO_NOTIFICATION:
      if (p + 2 > end) fail('BMP peer down reason 2: FSM event code truncated');
      fsmEvent = (buf[p] << 8) | buf[p + 1];
      break;
    case PEER_DOWN_LOC_RIB_SESSION_CLOSED:
      information = toInformation(readBmpTlvs(buf, p, end, 'BMP peer down'), (t) => t <= 3);
      break;
    default:
      break;
  }
  return {
    reason,
    reasonName: peerDownReasonName(reason),
    notification,
    fsmEvent,
    information,
    data: buf.subarray(p, end),
  };
}
