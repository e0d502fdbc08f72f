import type { AttributeContext } from '../bgp/attributes/attribute-context.js';
import { readU16, readU32 } from '../bgp/attributes/u32.js';
import { fail } from '../bgp/decode-error.js';
import type { DecodeOutput } from '../bgp/decode-output.js';
import { BGP_UPDATE, frameBgpMessage } from '../bgp/message.js';
import { updateToElems } from '../bgp/update.js';
import { type AddressFamily, IpAddress } from '../model/address.js';
import { Elem } from '../model/elem.js';
import {
  BGP4MP_MESSAGE,
  BGP4MP_MESSAGE_ADDPATH,
  BGP4MP_MESSAGE_LOCAL,
  BGP4MP_MESSAGE_LOCAL_ADDPATH,
  BGP4MP_STATE_CHANGE,
} from './mrt-types.js';

/** Subtypes with 2-byte ASNs in their header and AS_PATH. */
function asSizeOf(subtype: number): 2 | 4 {
  return subtype === BGP4MP_STATE_CHANGE ||
    subtype === BGP4MP_MESSAGE ||
    subtype === BGP4MP_MESSAGE_LOCAL ||
    subtype === BGP4MP_MESSAGE_ADDPATH ||
    subtype === BGP4MP_MESSAGE_LOCAL_ADDPATH
    ? 2
    : 4;
}

interface PeerHeader {
  peerAsn: number;
  peerAddress: IpAddress | null;
  /** Where the state codes or the BGP message start. */
  next: number;
}

/**
 * The BGP4MP peer header: peer AS, local AS, interface index, AFI, peer IP,
 * local IP. Old Zebra/Quagga wrote some records without interface index,
 * AFI or addresses: an 8-byte STATE_CHANGE, or a MESSAGE whose AFI field is
 * already the BGP marker (0xFFFF). Their peer address is unknown.
 */
function readPeerHeader(
  buf: Uint8Array,
  off: number,
  end: number,
  asSize: 2 | 4,
  stateChange: boolean,
): PeerHeader {
  const peerAsn = asSize === 4 ? readU32(buf, off) : readU16(buf, off);
  const afiOff = off + 2 * asSize + 2;
  // Only the 2-byte STATE_CHANGE had this short form; FRR's 12-byte STATE_CHANGE_AS4 at shutdown is just broken.
  if (stateChange && asSize === 2 && end - off === 8)
    return { peerAsn, peerAddress: null, next: off + 2 * asSize };
  if (afiOff + 2 > end) fail('BGP4MP peer header truncated');
  const afi = readU16(buf, afiOff);
  if (!stateChange && afi === 0xffff) return { peerAsn, peerAddress: null, next: off + 2 * asSize };
  if (afi !== 1 && afi !== 2) fail(`BGP4MP peer header has AFI ${afi}`);
  const family: AddressFamily = afi === 1 ? 4 : 6;
  const addrLen = afi === 1 ? 4 : 16;
  if (afiOff + 2 + 2 * addrLen > end) fail('BGP4MP peer addresses truncated');
  return {
    peerAsn,
    peerAddress: IpAddress.fromBytes(buf, afiOff + 2, family),
    next: afiOff + 2 + 2 * addrLen,
  };
}

export function decodeBgp4mpStateChange(
  buf: Uint8Array,
  off: number,
  end: number,
  subtype: number,
  timeSec: number,
  timeUsec: number,
  out: DecodeOutput,
): void {
  const h = readPeerHeader(buf, off, end, asSizeOf(subtype), true);
  if (h.next + 4 > end) fail('STATE_CHANGE states truncated');
  if (!out.wantsPeer(h.peerAsn)) return;
  const oldState = readU16(buf, h.next);
  const newState = readU16(buf, h.next + 2);
  out.elems.push(
    new Elem('S', timeSec, timeUsec, h.peerAddress, h.peerAsn, null, null, null, null, oldState, newState, 0),
  );
}

/** BGP4MP MESSAGE subtypes (plain, AS4, LOCAL, ADDPATH): UPDATEs become elems, other messages none. */
export function decodeBgp4mpMessage(
  buf: Uint8Array,
  off: number,
  end: number,
  subtype: number,
  addPath: boolean,
  timeSec: number,
  timeUsec: number,
  out: DecodeOutput,
): void {
  const asSize = asSizeOf(subtype);
  const h = readPeerHeader(buf, off, end, asSize, false);
  const msg = frameBgpMessage(buf, h.next, end);
  if (msg.type !== BGP_UPDATE || !out.wantsPeer(h.peerAsn)) return;
  // Non-ADD-PATH subtypes still get a guess: BIRD writes path ids into plain MESSAGE_AS4 records.
  const ctx: AttributeContext = { asSize, addPath: addPath ? 'yes' : 'detect', ribAfi: 0 };
  updateToElems(
    buf,
    msg.bodyStart,
    msg.bodyEnd,
    ctx,
    { timeSec, timeUsec, peerAddress: h.peerAddress, peerAsn: h.peerAsn },
    out,
  );
}
