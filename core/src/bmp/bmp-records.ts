import type { AttributeContext } from '../bgp/attributes/attribute-context.js';
import { DecodeOutput } from '../bgp/decode-output.js';
import { BGP_UPDATE } from '../bgp/message.js';
import type { AddPathMode } from '../bgp/nlri.js';
import { updateToElems } from '../bgp/update.js';
import { Elem } from '../model/elem.js';
import { BgpRecord, type RecordType } from '../model/record.js';
import { negotiatedAddPath, negotiatedFourOctetAs } from './bgp-open.js';
import type { BmpMessageKind } from './bmp-header.js';
import { type BmpMessage, type BmpRouteMonitoringMessage, decodeBmpMessage } from './bmp-message.js';
import type { BmpPeerCapabilities, BmpSession } from './bmp-session.js';
import type { OpenBmpHeader } from './openbmp-header.js';
import { PEER_TYPE_LOC_RIB_INSTANCE } from './per-peer-header.js';

/** BGPStream's peer states for BMP: Peer Up gives ACTIVE (sic, spec 4.2), Peer Down IDLE. */
export const BMP_PEER_UP_STATE = 3;
export const BMP_PEER_DOWN_STATE = 1;

const AS_TRANS = 23456;

/** What every record of one source shares. */
export interface BmpRecordSource {
  project: string;
  collector: string;
  type: RecordType;
  dumpTime: number;
}

export interface BmpConversion {
  message: BmpMessage;
  /** Null when BGPStream keeps no record for the message (and `allMessages` is off). */
  record: BgpRecord | null;
}

/** The key of the router a message came from: the OpenBMP router IP, or '' for a raw BMP connection. */
export function routerKeyOf(obmp: OpenBmpHeader | null): string {
  return obmp ? obmp.routerIp.toString() : '';
}

/**
 * Decodes one BMP message ([off, end) exactly) and makes its record. Throws DecodeError when the
 * bytes are malformed; the session is only updated by messages that decode.
 */
export function convertBmpMessage(
  buf: Uint8Array,
  off: number,
  end: number,
  obmp: OpenBmpHeader | null,
  raw: Uint8Array | null,
  source: BmpRecordSource,
  session: BmpSession,
  allMessages: boolean,
): BmpConversion {
  const message = decodeBmpMessage(buf, off, end);
  const peer = message.peer;
  const routerKey = routerKeyOf(obmp);

  let timeSec: number;
  let timeUsec: number;
  if (obmp) {
    timeSec = obmp.timeSec;
    timeUsec = obmp.timeUsec;
    session.noteTime(timeSec, timeUsec);
  } else if (peer && peer.timeSec !== 0) {
    timeSec = peer.timeSec;
    timeUsec = peer.timeUsec;
    session.noteTime(timeSec, timeUsec);
  } else if (session.lastTimeSec >= 0) {
    // Initiation, Termination and zero-time markers (FRR's End-of-RIB) take the time of the message before.
    timeSec = session.lastTimeSec;
    timeUsec = session.lastTimeUsec;
  } else {
    timeSec = source.dumpTime;
    timeUsec = 0;
  }

  if (message.kind === 'initiation' && message.sysName) session.setSysName(routerKey, message.sysName);

  let elems: Elem[] | null = null;
  let problems: string[] | null = null;
  switch (message.kind) {
    case 'route-monitoring':
      if (message.bgpType === BGP_UPDATE) {
        const out = new DecodeOutput();
        routeMonitoringElems(buf, message, obmp, session, timeSec, timeUsec, out);
        elems = out.elems;
        problems = out.problems;
      }
      break;
    case 'peer-up': {
      const p = message.peer;
      session.setPeer(session.peerKey(routerKey, p), {
        asSize: negotiatedFourOctetAs(message.sentOpen, message.receivedOpen) ? 4 : 2,
        addPathIn: negotiatedAddPath(message.receivedOpen, message.sentOpen).length > 0,
        addPathOut: negotiatedAddPath(message.sentOpen, message.receivedOpen).length > 0,
      });
      elems = [stateElem(message, timeSec, timeUsec, BMP_PEER_UP_STATE)];
      break;
    }
    case 'peer-down':
      elems = [stateElem(message, timeSec, timeUsec, BMP_PEER_DOWN_STATE)];
      break;
    default:
      break;
  }
  if (elems === null && !allMessages) return { message, record: null };

  const rec = new BgpRecord(
    source.project,
    obmp && obmp.collectorAdminId !== '' ? obmp.collectorAdminId : source.collector,
    source.type,
    source.dumpTime,
    timeSec,
    timeUsec,
    'valid',
    0,
    0,
    elems ?? [],
    raw,
    problems ? problems.join('; ') : null,
  );
  rec.router = obmp && obmp.routerGroup !== '' ? obmp.routerGroup : (session.sysName(routerKey) ?? '');
  rec.routerIp = obmp ? obmp.routerIp : null;
  return { message, record: rec };
}

function stateElem(
  message: BmpMessage & { peer: NonNullable<BmpMessage['peer']> },
  timeSec: number,
  timeUsec: number,
  newState: number,
): Elem {
  const p = message.peer;
  return new Elem('S', timeSec, timeUsec, p.address, p.asn, null, null, null, null, 0, newState, p.timeSec);
}

/**
 * The elems of a Route Monitoring UPDATE. The ASN size and ADD-PATH come from the peer's Peer Up
 * OPENs when one was seen, because routers do not all set the A flag (FRR 8.4 never does, yet
 * sends 2-byte AS_PATHs for peers without the 4-octet capability).
 */
function routeMonitoringElems(
  buf: Uint8Array,
  message: BmpRouteMonitoringMessage,
  obmp: OpenBmpHeader | null,
  session: BmpSession,
  timeSec: number,
  timeUsec: number,
  out: DecodeOutput,
): void {
  const peer = message.peer;
  const caps = session.getPeer(session.peerKey(routerKeyOf(obmp), peer));
  const ctx: AttributeContext = {
    asSize: asSizeFor(buf, message, caps),
    addPath: addPathFor(message, caps),
    ribAfi: 0,
  };
  updateToElems(
    buf,
    message.bodyStart,
    message.bodyEnd,
    ctx,
    { timeSec, timeUsec, peerAddress: peer.address, peerAsn: peer.asn },
    out,
  );
  // updateToElems leaves orig_time 0; BMP gives it the per-peer header time (spec 4.2). The elems
  // are fresh and not shared yet: setting the field in place saves a second elem per prefix.
  const orig = peer.timeSec;
  if (orig !== 0) {
    const elems = out.elems;
    for (let i = 0; i < elems.length; i++) (elems[i] as { origTimeSec: number }).origTimeSec = orig;
  }
}

function asSizeFor(
  buf: Uint8Array,
  message: BmpRouteMonitoringMessage,
  caps: BmpPeerCapabilities | undefined,
): 2 | 4 {
  const peer = message.peer;
  if (peer.asPath2Byte) return 2;
  // RFC 9069: Loc-RIB paths are always 4-byte.
  if (peer.peerType === PEER_TYPE_LOC_RIB_INSTANCE) return 4;
  if (caps) return caps.asSize;
  // No Peer Up seen (a stream joined mid-session): look for what only a 2-byte session sends.
  if (peer.asn === AS_TRANS) return 2;
  return sniffAsSize(buf, message.bodyStart, message.bodyEnd);
}

/** 2 when the UPDATE holds AS4_PATH or AS4_AGGREGATOR, or a 6-byte AGGREGATOR; 4 otherwise. */
export function sniffAsSize(buf: Uint8Array, off: number, end: number): 2 | 4 {
  if (off + 2 > end) return 4;
  const withdrawnEnd = off + 2 + ((buf[off] << 8) | buf[off + 1]);
  if (withdrawnEnd + 2 > end) return 4;
  let p = withdrawnEnd + 2;
  const attrEnd = Math.min(end, p + ((buf[withdrawnEnd] << 8) | buf[withdrawnEnd + 1]));
  while (p + 3 <= attrEnd) {
    const flags = buf[p];
    const type = buf[p + 1];
    let len: number;
    if (flags & 0x10) {
      if (p + 4 > attrEnd) break;
      len = (buf[p + 2] << 8) | buf[p + 3];
      p += 4;
    } else {
      len = buf[p + 2];
      p += 3;
    }
    if (type === 17 || type === 18) return 2;
    if (type === 7) {
      if (len === 6) return 2;
      if (len === 8) return 4;
    }
    p += len;
  }
  return 4;
}

/**
 * Path ids are read when the OPENs negotiated ADD-PATH in the message's direction, with detection
 * rather than blind trust: FRR 8.4 negotiates it yet strips the path ids from route monitoring.
 * Without a Peer Up, detection too; with one that negotiated nothing, never.
 */
function addPathFor(message: BmpRouteMonitoringMessage, caps: BmpPeerCapabilities | undefined): AddPathMode {
  if (!caps || message.peer.peerType === PEER_TYPE_LOC_RIB_INSTANCE) return 'detect';
  const negotiated = message.peer.adjRibOut ? caps.addPathOut : caps.addPathIn;
  return negotiated ? 'detect' : 'no';
}

/** Counts by message kind, all zero. */
export function emptyKindCounts(): Record<BmpMessageKind, number> {
  return {
    'route-monitoring': 0,
    'stats-report': 0,
    'peer-down': 0,
    'peer-up': 0,
    initiation: 0,
    termination: 0,
    'route-mirroring': 0,
  };
}
