import { readU16, readU32 } from '../bgp/attributes/u32.js';
import { fail } from '../bgp/decode-error.js';
import { IpAddress } from '../model/address.js';

export interface PeerIndexEntry {
  bgpId: IpAddress;
  address: IpAddress;
  asn: number;
}

export interface PeerIndexTable {
  collectorBgpId: IpAddress;
  viewName: string;
  peers: PeerIndexEntry[];
}

/** TABLE_DUMP_V2 PEER_INDEX_TABLE (RFC 6396 4.3.1): the peers that later RIB entries name by index. */
export function decodePeerIndexTable(buf: Uint8Array, off: number, end: number): PeerIndexTable {
  if (off + 8 > end) fail('PEER_INDEX_TABLE truncated');
  const collectorBgpId = IpAddress.fromBytes(buf, off, 4);
  const nameLen = readU16(buf, off + 4);
  let p = off + 6 + nameLen;
  if (p + 2 > end) fail('PEER_INDEX_TABLE view name runs past the record');
  const viewName = new TextDecoder().decode(buf.subarray(off + 6, off + 6 + nameLen));
  const count = readU16(buf, p);
  p += 2;
  const peers: PeerIndexEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (p + 1 > end) fail(`PEER_INDEX_TABLE entry ${i} truncated`);
    const peerType = buf[p];
    const v6 = (peerType & 1) !== 0;
    const as4 = (peerType & 2) !== 0;
    const size = 1 + 4 + (v6 ? 16 : 4) + (as4 ? 4 : 2);
    if (p + size > end) fail(`PEER_INDEX_TABLE entry ${i} truncated`);
    const bgpId = IpAddress.fromBytes(buf, p + 1, 4);
    const address = IpAddress.fromBytes(buf, p + 5, v6 ? 6 : 4);
    const asOff = p + 5 + (v6 ? 16 : 4);
    const asn = as4 ? readU32(buf, asOff) : readU16(buf, asOff);
    peers.push({ bgpId, address, asn });
    p += size;
  }
  return { collectorBgpId, viewName, peers };
}
