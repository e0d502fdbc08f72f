import {
  type BgpRecord,
  type Elem,
  encodePeerIndexTable,
  encodeRibRecord,
  IpAddress,
  mrtTypes,
  type PeerIndexPeer,
} from '@bgpstream-ts/core';

const UNSPECIFIED_V4 = IpAddress.v4(0);
const MULTICAST = new Set([
  mrtTypes.TDV2_RIB_IPV4_MULTICAST,
  mrtTypes.TDV2_RIB_IPV6_MULTICAST,
  mrtTypes.TDV2_RIB_IPV4_MULTICAST_ADDPATH,
  mrtTypes.TDV2_RIB_IPV6_MULTICAST_ADDPATH,
]);

/** The bytes of an mrt message, and the PEER_INDEX_TABLE to send first (to every partition) when it changed. */
export interface MrtMessageBytes {
  bytes: Uint8Array;
  peerIndexTable: Uint8Array | null;
}

class PeerTable {
  readonly peers: PeerIndexPeer[] = [];
  private readonly index = new Map<string, number>();
  sequence = 0;

  /** The peer's index; `added` is set when it is new. */
  indexOf(e: Elem, note: { added: boolean }): number {
    const key = `${e.peerAsn} ${e.peerAddress}`;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.peers.length;
      this.peers.push({
        bgpId: UNSPECIFIED_V4,
        address: e.peerAddress ?? UNSPECIFIED_V4,
        asn: e.peerAsn,
        as4: true,
      });
      this.index.set(key, i);
      note.added = true;
    }
    return i;
  }
}

function isTableDumpV2Rib(r: BgpRecord): boolean {
  return r.mrtType === mrtTypes.MRT_TABLE_DUMP_V2 && r.mrtSubtype !== mrtTypes.TDV2_PEER_INDEX_TABLE;
}

/**
 * The MRT bytes of records, one record per message. BGP4MP, BGP4MP_ET, TABLE_DUMP and BGP records
 * go as the bytes they were read as (`record.raw`). TABLE_DUMP_V2 RIB records cannot: they name
 * their peers by index into the dump's PEER_INDEX_TABLE, which the stream does not hand out. They
 * are encoded again from their elems against a PEER_INDEX_TABLE kept per topic and dump, which
 * grows as peers appear and is sent (to every partition) before the first record that needs it.
 * Records without MRT bytes (BMP, RIS Live sources) or without elems give no message.
 */
export class MrtMessageEncoder {
  private readonly tables = new Map<string, PeerTable>();

  encode(record: BgpRecord, tableKey: string): MrtMessageBytes | null {
    if (!isTableDumpV2Rib(record)) {
      if (record.raw === null || record.mrtType === 0) return null;
      return { bytes: record.raw, peerIndexTable: null };
    }
    const elems = record.elems;
    if (elems.length === 0 || elems[0].prefix === null) return null;
    let table = this.tables.get(tableKey);
    if (table === undefined) {
      table = new PeerTable();
      this.tables.set(tableKey, table);
    }
    const note = { added: false };
    const addPath = mrtTypes.isAddPathSubtype(record.mrtType, record.mrtSubtype);
    const entries = elems.map((e) => ({
      peerIndex: table.indexOf(e, note),
      origTimeSec: e.origTimeSec,
      pathId: addPath ? (e.pathId ?? 0) : undefined,
      attributes: e.attributes!,
    }));
    const bytes = encodeRibRecord({
      timeSec: record.timeSec,
      prefix: elems[0].prefix,
      sequence: table.sequence++ >>> 0,
      addPath,
      multicast: MULTICAST.has(record.mrtSubtype),
      generic:
        record.mrtSubtype === mrtTypes.TDV2_RIB_GENERIC ||
        record.mrtSubtype === mrtTypes.TDV2_RIB_GENERIC_ADDPATH,
      entries,
    });
    const peerIndexTable = note.added
      ? encodePeerIndexTable({ timeSec: record.timeSec, collectorBgpId: UNSPECIFIED_V4, peers: table.peers })
      : null;
    if (record.dumpPosition === 'end') this.tables.delete(tableKey);
    return { bytes, peerIndexTable };
  }

  /** Forgets the peer table of a dump whose last record went by. */
  endDump(tableKey: string): void {
    this.tables.delete(tableKey);
  }
}
