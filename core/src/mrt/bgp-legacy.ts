import { readU16 } from '../bgp/attributes/u32.js';
import { fail } from '../bgp/decode-error.js';
import type { DecodeOutput } from '../bgp/decode-output.js';
import { updateToElems } from '../bgp/update.js';
import { IpAddress } from '../model/address.js';
import { Elem } from '../model/elem.js';
import { BGP_STATE_CHANGE, BGP_UPDATE } from './mrt-types.js';

/**
 * The deprecated MRT type 5 (BGP), still found in archives from the 1990s
 * and early 2000s (RFC 6396 appendix B.2): IPv4 only, 2-byte ASNs. UPDATE
 * holds the UPDATE body without the 19-byte BGP header; STATE_CHANGE holds
 * the peer and the two FSM states. OPEN, NOTIFY, KEEPALIVE carry no routes.
 */
export function decodeBgpLegacy(
  buf: Uint8Array,
  off: number,
  end: number,
  subtype: number,
  timeSec: number,
  out: DecodeOutput,
): void {
  if (off + 6 > end) fail('BGP record peer header truncated');
  const peerAsn = readU16(buf, off);
  if (!out.wantsPeer(peerAsn)) return;
  const peerAddress = IpAddress.fromBytes(buf, off + 2, 4);
  if (subtype === BGP_STATE_CHANGE) {
    if (off + 10 > end) fail('BGP STATE_CHANGE truncated');
    out.elems.push(
      new Elem(
        'S',
        timeSec,
        0,
        peerAddress,
        peerAsn,
        null,
        null,
        null,
        null,
        readU16(buf, off + 6),
        readU16(buf, off + 8),
        0,
      ),
    );
    return;
  }
  if (subtype !== BGP_UPDATE) return;
  if (off + 12 > end) fail('BGP UPDATE peer header truncated');
  updateToElems(
    buf,
    off + 12,
    end,
    { asSize: 2, addPath: 'no', ribAfi: 0 },
    { timeSec, timeUsec: 0, peerAddress, peerAsn },
    out,
  );
}
