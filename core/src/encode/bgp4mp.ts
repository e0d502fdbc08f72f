import { IpAddress } from '../model/address.js';
import {
  BGP4MP_MESSAGE,
  BGP4MP_MESSAGE_ADDPATH,
  BGP4MP_MESSAGE_AS4,
  BGP4MP_MESSAGE_AS4_ADDPATH,
  BGP4MP_MESSAGE_AS4_LOCAL,
  BGP4MP_MESSAGE_AS4_LOCAL_ADDPATH,
  BGP4MP_MESSAGE_LOCAL,
  BGP4MP_MESSAGE_LOCAL_ADDPATH,
  BGP4MP_STATE_CHANGE,
  BGP4MP_STATE_CHANGE_AS4,
  MRT_BGP4MP,
  MRT_BGP4MP_ET,
} from '../mrt/mrt-types.js';
import {
  type BgpNotification,
  type BgpOpen,
  type BgpUpdate,
  encodeKeepaliveMessage,
  encodeNotificationMessage,
  encodeOpenMessage,
  encodeUpdateMessage,
} from './bgp-message.js';
import { ByteWriter } from './byte-writer.js';
import { encodeMrtRecord } from './mrt-writer.js';

/** What every BGP4MP record starts with (RFC 6396 4.4). */
export interface Bgp4mpHeader {
  timeSec: number;
  /** When set, the record is BGP4MP_ET with this microseconds field. */
  timeUsec?: number;
  peerAsn: number;
  localAsn: number;
  /** null writes the old Zebra form: the two ASNs and nothing else before the payload. */
  peerAddress: IpAddress | null;
  /** Of the peer's family; the unspecified address when absent. */
  localAddress?: IpAddress | null;
  interfaceIndex?: number;
  /** 4-byte ASNs in the header, and in AS_PATH/AGGREGATOR of an UPDATE: the _AS4 subtypes. */
  as4: boolean;
  /** Overrides the subtype the other fields select, for records a writer labelled oddly. */
  subtype?: number;
}

export interface Bgp4mpMessageHeader extends Bgp4mpHeader {
  /** A message the collector sent rather than received: the _LOCAL subtypes. */
  local?: boolean;
  /** The _ADDPATH subtypes (RFC 8050): NLRI carry path ids. */
  addPath?: boolean;
}

export type Bgp4mpUpdate = Bgp4mpMessageHeader & Omit<BgpUpdate, 'as4'>;

export interface Bgp4mpStateChange extends Bgp4mpHeader {
  oldState: number;
  newState: number;
}

/** The MESSAGE subtype for an ASN size, direction and ADD-PATH. */
export function bgp4mpMessageSubtype(as4: boolean, local: boolean, addPath: boolean): number {
  if (addPath) {
    if (local) return as4 ? BGP4MP_MESSAGE_AS4_LOCAL_ADDPATH : BGP4MP_MESSAGE_LOCAL_ADDPATH;
    return as4 ? BGP4MP_MESSAGE_AS4_ADDPATH : BGP4MP_MESSAGE_ADDPATH;
  }
  if (local) return as4 ? BGP4MP_MESSAGE_AS4_LOCAL : BGP4MP_MESSAGE_LOCAL;
  return as4 ? BGP4MP_MESSAGE_AS4 : BGP4MP_MESSAGE;
}

/** A BGP4MP MESSAGE record around a whole BGP message (marker included). */
export function encodeBgp4mpMessage(header: Bgp4mpMessageHeader, message: Uint8Array): Uint8Array {
  const subtype =
    header.subtype ?? bgp4mpMessageSubtype(header.as4, header.local === true, header.addPath === true);
  const w = new ByteWriter(message.length + 48);
  writePeerHeader(w, header);
  w.bytes(message);
  return mrtRecord(header, subtype, w.toBytes());
}

/**
 * A BGP4MP MESSAGE record holding an UPDATE. Path ids go into the NLRI
 * whenever they are given; `addPath` without them throws, while path ids
 * without `addPath` write what BIRD writes (ADD-PATH NLRI in a plain subtype).
 */
export function encodeBgp4mpUpdate(update: Bgp4mpUpdate): Uint8Array {
  if (update.addPath) {
    if ((update.withdrawn?.length ?? 0) > 0 && !update.withdrawnPathIds) {
      throw new RangeError('an ADD-PATH UPDATE needs withdrawnPathIds');
    }
    if ((update.announced?.length ?? 0) > 0 && !update.announcedPathIds) {
      throw new RangeError('an ADD-PATH UPDATE needs announcedPathIds');
    }
  }
  return encodeBgp4mpMessage(update, encodeUpdateMessage(update));
}

export function encodeBgp4mpKeepalive(header: Bgp4mpMessageHeader): Uint8Array {
  return encodeBgp4mpMessage(header, encodeKeepaliveMessage());
}

export function encodeBgp4mpOpen(header: Bgp4mpMessageHeader, open: BgpOpen): Uint8Array {
  return encodeBgp4mpMessage(header, encodeOpenMessage(open));
}

export function encodeBgp4mpNotification(
  header: Bgp4mpMessageHeader,
  notification: BgpNotification,
): Uint8Array {
  return encodeBgp4mpMessage(header, encodeNotificationMessage(notification));
}

/**
 * BGP4MP STATE_CHANGE (2-byte ASNs) or STATE_CHANGE_AS4. Without a peer
 * address only the 2-byte form exists (8 bytes: ASNs and states).
 */
export function encodeBgp4mpStateChange(change: Bgp4mpStateChange): Uint8Array {
  if (change.peerAddress === null && change.as4) {
    throw new RangeError('STATE_CHANGE_AS4 needs a peer address');
  }
  const w = new ByteWriter(48);
  writePeerHeader(w, change);
  w.u16(change.oldState).u16(change.newState);
  return mrtRecord(
    change,
    change.subtype ?? (change.as4 ? BGP4MP_STATE_CHANGE_AS4 : BGP4MP_STATE_CHANGE),
    w.toBytes(),
  );
}

function writePeerHeader(w: ByteWriter, h: Bgp4mpHeader): void {
  if (h.as4) w.u32(h.peerAsn).u32(h.localAsn);
  else w.u16(h.peerAsn).u16(h.localAsn);
  const peer = h.peerAddress;
  if (peer === null) return;
  const local = h.localAddress ?? new IpAddress(peer.family, 0);
  if (local.family !== peer.family) {
    throw new RangeError(`local address ${local} is not of the peer's family (${peer})`);
  }
  w.u16(h.interfaceIndex ?? 0)
    .u16(peer.family === 4 ? 1 : 2)
    .address(peer)
    .address(local);
}

function mrtRecord(h: Bgp4mpHeader, subtype: number, body: Uint8Array): Uint8Array {
  const et = h.timeUsec !== undefined;
  return encodeMrtRecord(
    { timeSec: h.timeSec, type: et ? MRT_BGP4MP_ET : MRT_BGP4MP, subtype, timeUsec: h.timeUsec },
    body,
  );
}
