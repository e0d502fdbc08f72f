import type { IpAddress } from '../model/address.js';
import { Elem } from '../model/elem.js';
import type { PathAttributes } from '../model/path-attributes.js';
import { type AttributeContext, SAFI_MULTICAST, SAFI_UNICAST } from './attributes/attribute-context.js';
import { decodePathAttributes } from './attributes/path-attributes.js';
import { fail } from './decode-error.js';
import type { DecodeOutput } from './decode-output.js';
import { decodeNlri, type NlriList } from './nlri.js';

/** Who said it and when: what every elem of one message shares. */
export interface ElemOrigin {
  timeSec: number;
  timeUsec: number;
  peerAddress: IpAddress | null;
  peerAsn: number;
}

/**
 * Turns a BGP UPDATE body into elems, in BGPStream's order: IPv4
 * withdrawals, MP_UNREACH withdrawals, IPv4 announcements, MP_REACH
 * announcements. Unicast and multicast MP NLRI both become elems, as in
 * bgpdump and the reference bgpreader; other SAFIs (VPN, labelled, flowspec)
 * are not routes of this model.
 */
export function updateToElems(
  buf: Uint8Array,
  off: number,
  end: number,
  ctx: AttributeContext,
  origin: ElemOrigin,
  out: DecodeOutput,
): void {
  if (off + 2 > end) fail('UPDATE truncated before withdrawn routes length');
  const withdrawnLen = (buf[off] << 8) | buf[off + 1];
  const withdrawnStart = off + 2;
  const withdrawnEnd = withdrawnStart + withdrawnLen;
  if (withdrawnEnd + 2 > end) fail('UPDATE withdrawn routes run past the message');
  const attrLen = (buf[withdrawnEnd] << 8) | buf[withdrawnEnd + 1];
  const attrStart = withdrawnEnd + 2;
  const attrEnd = attrStart + attrLen;
  if (attrEnd > end) fail('UPDATE path attributes run past the message');

  pushWithdrawals(decodeNlri(buf, withdrawnStart, withdrawnEnd, 4, ctx.addPath), origin, out);
  // Withdrawal-only UPDATEs are the common case: no attribute object for them.
  if (attrLen === 0 && attrEnd === end) return;
  const decoded = decodePathAttributes(buf, attrStart, attrEnd, ctx);
  const attrs = decoded.attributes;
  const unreach = decoded.mpUnreach;
  if (unreach && isUnicastOrMulticast(unreach.safi)) pushWithdrawals(unreach.nlri, origin, out);
  pushAnnouncements(decodeNlri(buf, attrEnd, end, 4, ctx.addPath), attrs.nextHop, attrs, origin, out);
  const reach = decoded.mpReach;
  if (reach && isUnicastOrMulticast(reach.safi))
    pushAnnouncements(reach.nlri, attrs.mpNextHop, attrs, origin, out);
}

function isUnicastOrMulticast(safi: number): boolean {
  return safi === SAFI_UNICAST || safi === SAFI_MULTICAST;
}

function pushWithdrawals(nlri: NlriList, o: ElemOrigin, out: DecodeOutput): void {
  const { prefixes, pathIds } = nlri;
  for (let i = 0; i < prefixes.length; i++) {
    out.elems.push(
      new Elem(
        'W',
        o.timeSec,
        o.timeUsec,
        o.peerAddress,
        o.peerAsn,
        prefixes[i],
        pathIds ? pathIds[i] : null,
        null,
        null,
        0,
        0,
        0,
      ),
    );
  }
  if (nlri.error) out.addProblem(nlri.error);
}

function pushAnnouncements(
  nlri: NlriList,
  nextHop: IpAddress | null,
  attrs: PathAttributes,
  o: ElemOrigin,
  out: DecodeOutput,
): void {
  const { prefixes, pathIds } = nlri;
  for (let i = 0; i < prefixes.length; i++) {
    out.elems.push(
      new Elem(
        'A',
        o.timeSec,
        o.timeUsec,
        o.peerAddress,
        o.peerAsn,
        prefixes[i],
        pathIds ? pathIds[i] : null,
        nextHop,
        attrs,
        0,
        0,
        0,
      ),
    );
  }
  if (nlri.error) out.addProblem(nlri.error);
}
