import { fail } from '../bgp/decode-error.js';
import { frameBgpMessage } from '../bgp/message.js';

export interface BmpRouteMonitoringBody {
  /** The BGP message type: 2 (UPDATE) in every real stream; BGPStream makes elems of nothing else. */
  bgpType: number;
  /** The whole BGP message (a view, 19-byte header included). */
  bgpMessage: Uint8Array;
  /** Offsets of the UPDATE body in the buffer that was decoded. */
  bodyStart: number;
  bodyEnd: number;
}

/** A Route Monitoring body, from just after the per-peer header: one BGP message filling it (RFC 7854 4.6). */
export function decodeRouteMonitoring(buf: Uint8Array, off: number, end: number): BmpRouteMonitoringBody {
  const f = frameBgpMessage(buf, off, end);
  if (f.bodyEnd !== end)
    fail(`BMP route monitoring: BGP message of ${f.bodyEnd - off} bytes in a body of ${end - off}`);
  return { bgpType: f.type, bgpMessage: buf.subarray(off, end), bodyStart: f.bodyStart, bodyEnd: f.bodyEnd };
}
