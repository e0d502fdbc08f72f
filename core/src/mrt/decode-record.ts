import { readU32 } from '../bgp/attributes/u32.js';
import { fail } from '../bgp/decode-error.js';
import type { DecodeOutput } from '../bgp/decode-output.js';
import { decodeBgpLegacy } from './bgp-legacy.js';
import { decodeBgp4mpMessage, decodeBgp4mpStateChange } from './bgp4mp.js';
import {
  BGP4MP_ENTRY,
  BGP4MP_SNAPSHOT,
  BGP4MP_STATE_CHANGE,
  BGP4MP_STATE_CHANGE_AS4,
  isAddPathSubtype,
  MRT_BGP,
  MRT_BGP4MP,
  MRT_BGP4MP_ET,
  MRT_TABLE_DUMP,
  MRT_TABLE_DUMP_V2,
  TDV2_PEER_INDEX_TABLE,
} from './mrt-types.js';
import { decodePeerIndexTable, type PeerIndexTable } from './peer-index-table.js';
import { decodeTableDump } from './table-dump.js';
import { decodeTableDumpV2Rib } from './table-dump-v2.js';

export const MRT_HEADER_SIZE = 12;

/** What the decoder carries from one record of a file to the next. */
export interface MrtFileState {
  peerIndex: PeerIndexTable | null;
  /** Also give elems for multicast RIB records (TABLE_DUMP_V2 subtypes 3, 5, 9, 11), which BGPStream leaves empty. */
  multicast: boolean;
}

/** `record`: a BGP record (elems in `out`); `peer-index`: state only; `skipped`: a known type that is not BGP routing. */
export type MrtOutcome = 'record' | 'peer-index' | 'skipped';

export interface MrtHeader {
  timeSec: number;
  type: number;
  subtype: number;
  /** Body length as the header says (for _ET types it includes the microseconds field). */
  length: number;
}

export function readMrtHeader(buf: Uint8Array, off: number): MrtHeader {
  return {
    timeSec: readU32(buf, off),
    type: (buf[off + 4] << 8) | buf[off + 5],
    subtype: (buf[off + 6] << 8) | buf[off + 7],
    length: readU32(buf, off + 8),
  };
}

/**
 * Decodes the body of one framed MRT record into elems. Throws DecodeError
 * when the bytes contradict their own lengths.
 */
export function decodeMrtBody(
  buf: Uint8Array,
  bodyStart: number,
  bodyEnd: number,
  h: MrtHeader,
  timeUsec: number,
  state: MrtFileState,
  out: DecodeOutput,
): MrtOutcome {
  switch (h.type) {
    case MRT_TABLE_DUMP:
      decodeTableDump(buf, bodyStart, bodyEnd, h.subtype, h.timeSec, out);
      return 'record';
    case MRT_TABLE_DUMP_V2:
      if (h.subtype === TDV2_PEER_INDEX_TABLE) {
        state.peerIndex = decodePeerIndexTable(buf, bodyStart, bodyEnd);
        return 'peer-index';
      }
      decodeTableDumpV2Rib(
        buf,
        bodyStart,
        bodyEnd,
        h.subtype,
        h.timeSec,
        state.peerIndex,
        state.multicast,
        out,
      );
      return 'record';
    case MRT_BGP4MP:
    case MRT_BGP4MP_ET: {
      const start = h.type === MRT_BGP4MP_ET ? bodyStart + 4 : bodyStart;
      if (start > bodyEnd) fail('BGP4MP_ET record shorter than its microseconds field');
      if (h.subtype === BGP4MP_STATE_CHANGE || h.subtype === BGP4MP_STATE_CHANGE_AS4) {
        decodeBgp4mpStateChange(buf, start, bodyEnd, h.subtype, h.timeSec, timeUsec, out);
      } else if (h.subtype === BGP4MP_ENTRY || h.subtype === BGP4MP_SNAPSHOT) {
        return 'skipped';
      } else {
        const addPath = isAddPathSubtype(h.type, h.subtype);
        decodeBgp4mpMessage(buf, start, bodyEnd, h.subtype, addPath, h.timeSec, timeUsec, out);
      }
      return 'record';
    }
    case MRT_BGP:
      decodeBgpLegacy(buf, bodyStart, bodyEnd, h.subtype, h.timeSec, out);
      return 'record';
    default:
      return 'skipped';
  }
}
