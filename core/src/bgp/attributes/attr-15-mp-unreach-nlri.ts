import { fail } from '../decode-error.js';
import { decodeNlri, emptyNlri } from '../nlri.js';
import { AFI_IPV4, AFI_IPV6, type AttributeContext, type MpUnreach } from './attribute-context.js';
import { readU16 } from './u32.js';

/** MP_UNREACH_NLRI (RFC 4760): AFI, SAFI, withdrawn NLRI. Only IPv4/IPv6 unicast and multicast NLRI are read. */
export function decodeMpUnreach(buf: Uint8Array, off: number, len: number, ctx: AttributeContext): MpUnreach {
  if (len < 3) fail(`MP_UNREACH_NLRI too short (${len} bytes)`);
  const afi = readU16(buf, off);
  const safi = buf[off + 2];
  if ((afi !== AFI_IPV4 && afi !== AFI_IPV6) || (safi !== 1 && safi !== 2)) {
    return { afi, safi, nlri: emptyNlri() };
  }
  return { afi, safi, nlri: decodeNlri(buf, off + 3, off + len, afi === AFI_IPV4 ? 4 : 6, ctx.addPath) };
}
