import { readBmpTlvs } from './bmp-header.js';

/** Route Mirroring TLV types and information codes (RFC 7854 4.7). */
export const MIRROR_BGP_MESSAGE = 0;
export const MIRROR_INFORMATION = 1;
export const MIRROR_ERRORED_PDU = 0;
export const MIRROR_MESSAGES_LOST = 1;

export interface BmpMirroredItem {
  type: number;
  /** Type 0: the verbatim BGP PDU (a view, 19-byte header included). */
  bgpMessage: Uint8Array | null;
  /** Type 1: 0 errored PDU, 1 messages lost. */
  code: number | null;
  value: Uint8Array;
}

export interface BmpRouteMirroringBody {
  items: BmpMirroredItem[];
}

/**
 * A Route Mirroring body, from just after the per-peer header. The mirrored messages are not
 * decoded further: BGPStream makes no elems of them.
 */
export function decodeRouteMirroring(buf: Uint8Array, off: number, end: number): BmpRouteMirroringBody {
  const items = readBmpTlvs(buf, off, end, 'BMP route mirroring').map(
    (t): BmpMirroredItem => ({
      type: t.type,
      bgpMessage: t.type === MIRROR_BGP_MESSAGE ? t.value : null,
      code: t.type === MIRROR_INFORMATION && t.value.length === 2 ? (t.value[0] << 8) | t.value[1] : null,
      value: t.value,
    }),
  );
  return { items };
}
