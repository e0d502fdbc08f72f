import { IpAddress } from '../../model/address.js';
import type { PathAttributes } from '../../model/path-attributes.js';
import { fail } from '../decode-error.js';
import { decodeNlri, emptyNlri } from '../nlri.js';
import { AFI_IPV4, AFI_IPV6, type AttributeContext, type MpReach } from './attribute-context.js';
import { readU16 } from './u32.js';

/**
 * MP_REACH_NLRI (RFC 4760): AFI, SAFI, next hop, reserved byte, NLRI. In
 * TABLE_DUMP_V2 RIB entries RFC 6396 4.3.4 abbreviates it to the next hop
 * alone (length byte + address); some writers still put the full attribute
 * there, so the form is told apart by its length.
 */
export function decodeMpReach(
  buf: Uint8Array,
  off: number,
  len: number,
  attrs: PathAttributes,
  ctx: AttributeContext,
): MpReach | null {
  const end = off + len;
  if (ctx.ribAfi !== 0 && len >= 1 && buf[off] + 1 === len) {
    readNextHop(buf, off + 1, buf[off], attrs);
    return null;
  }
  if (len < 5) fail(`MP_REACH_NLRI too short (${len} bytes)`);
  const afi = readU16(buf, off);
  const safi = buf[off + 2];
  const nhLen = buf[off + 3];
  const nlriStart = off + 4 + nhLen + 1;
  if (nlriStart > end) fail('MP_REACH_NLRI next hop runs past the attribute');
  readNextHop(buf, off + 4, nhLen, attrs);
  if (afi !== AFI_IPV4 && afi !== AFI_IPV6) return { afi, safi, nlri: emptyNlri() };
  if (ctx.ribAfi !== 0) return { afi, safi, nlri: emptyNlri() };
  if (safi !== 1 && safi !== 2) return { afi, safi, nlri: emptyNlri() };
  return { afi, safi, nlri: decodeNlri(buf, nlriStart, end, afi === AFI_IPV4 ? 4 : 6, ctx.addPath) };
}

/** Next hop by its length: IPv4 (4), IPv6 (16), IPv6 global + link-local (32); VPN forms carry an 8-byte RD first. */
function readNextHop(buf: Uint8Array, off: number, len: number, attrs: PathAttributes): void {
  switch (len) {
    case 4:
      attrs.mpNextHop = IpAddress.fromBytes(buf, off, 4);
      break;
    case 12:
      attrs.mpNextHop = IpAddress.fromBytes(buf, off + 8, 4);
      break;
    case 16:
      attrs.mpNextHop = IpAddress.fromBytes(buf, off, 6);
      break;
    case 24:
      attrs.mpNextHop = IpAddress.fromBytes(buf, off + 8, 6);
      break;
    case 32:
      attrs.mpNextHop = IpAddress.fromBytes(buf, off, 6);
      attrs.mpNextHopLinkLocal = IpAddress.fromBytes(buf, off + 16, 6);
      break;
    case 48:
      attrs.mpNextHop = IpAddress.fromBytes(buf, off + 8, 6);
      attrs.mpNextHopLinkLocal = IpAddress.fromBytes(buf, off + 32, 6);
      break;
    default:
      if (len !== 0) attrs.addError(`MP_REACH_NLRI next hop of length ${len}`);
  }
}
