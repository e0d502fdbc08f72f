import type { IpAddress } from '../model/address.js';
import { BGP_STATE_CHANGE, BGP_UPDATE, MRT_BGP } from '../mrt/mrt-types.js';
import { type BgpUpdate, encodeUpdateBody } from './bgp-message.js';
import { ByteWriter } from './byte-writer.js';
import { encodeMrtRecord } from './mrt-writer.js';

/** The deprecated MRT type 5 (RFC 6396 B.2): IPv4 peers, 2-byte ASNs. */
export interface BgpLegacyHeader {
  timeSec: number;
  peerAsn: number;
  peerAddress: IpAddress;
}

export type BgpLegacyUpdate = BgpLegacyHeader & {
  localAsn: number;
  localAddress: IpAddress;
} & Omit<BgpUpdate, 'as4'>;

export interface BgpLegacyStateChange extends BgpLegacyHeader {
  oldState: number;
  newState: number;
}

/** BGP/UPDATE: the peer and local header, then the UPDATE body without its 19-byte BGP header. */
export function encodeBgpLegacyUpdate(update: BgpLegacyUpdate): Uint8Array {
  const w = new ByteWriter();
  w.u16(update.peerAsn)
    .address(ipv4(update.peerAddress))
    .u16(update.localAsn)
    .address(ipv4(update.localAddress));
  w.bytes(encodeUpdateBody({ ...update, as4: false }));
  return encodeMrtRecord({ timeSec: update.timeSec, type: MRT_BGP, subtype: BGP_UPDATE }, w.toBytes());
}

export function encodeBgpLegacyStateChange(change: BgpLegacyStateChange): Uint8Array {
  const w = new ByteWriter(16);
  w.u16(change.peerAsn).address(ipv4(change.peerAddress)).u16(change.oldState).u16(change.newState);
  return encodeMrtRecord({ timeSec: change.timeSec, type: MRT_BGP, subtype: BGP_STATE_CHANGE }, w.toBytes());
}

function ipv4(a: IpAddress): IpAddress {
  if (a.family !== 4) throw new RangeError(`the BGP MRT type is IPv4 only, got ${a}`);
  return a;
}
