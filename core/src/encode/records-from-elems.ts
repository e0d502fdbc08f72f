import { IpAddress } from '../model/address.js';
import type { Elem } from '../model/elem.js';
import type { PathAttributes } from '../model/path-attributes.js';
import type { Prefix } from '../model/prefix.js';
import type { BgpRecord } from '../model/record.js';
import {
  BGP4MP_MESSAGE_AS4,
  BGP4MP_MESSAGE_AS4_ADDPATH,
  BGP4MP_MESSAGE_AS4_LOCAL,
  BGP4MP_MESSAGE_AS4_LOCAL_ADDPATH,
  BGP4MP_STATE_CHANGE_AS4,
  isAddPathSubtype,
  MRT_BGP,
  MRT_BGP4MP,
  MRT_BGP4MP_ET,
  MRT_TABLE_DUMP,
  MRT_TABLE_DUMP_V2,
  TDV2_RIB_GENERIC,
  TDV2_RIB_GENERIC_ADDPATH,
  TDV2_RIB_IPV4_MULTICAST,
  TDV2_RIB_IPV4_MULTICAST_ADDPATH,
  TDV2_RIB_IPV6_MULTICAST,
  TDV2_RIB_IPV6_MULTICAST_ADDPATH,
} from '../mrt/mrt-types.js';
import { encodeBgpLegacyStateChange, encodeBgpLegacyUpdate } from './bgp-legacy.js';
import { type Bgp4mpHeader, encodeBgp4mpStateChange, encodeBgp4mpUpdate } from './bgp4mp.js';
import { concatRecords } from './mrt-writer.js';
import { encodeTableDump } from './table-dump.js';
import { encodePeerIndexTable, encodeRibRecord, type PeerIndexPeer } from './table-dump-v2.js';

const AS4_MESSAGE_SUBTYPES = new Set([
  BGP4MP_MESSAGE_AS4,
  BGP4MP_MESSAGE_AS4_LOCAL,
  BGP4MP_MESSAGE_AS4_ADDPATH,
  BGP4MP_MESSAGE_AS4_LOCAL_ADDPATH,
]);
const MULTICAST_RIBS = new Set([
  TDV2_RIB_IPV4_MULTICAST,
  TDV2_RIB_IPV6_MULTICAST,
  TDV2_RIB_IPV4_MULTICAST_ADDPATH,
  TDV2_RIB_IPV6_MULTICAST_ADDPATH,
]);
const UNSPECIFIED_V4 = IpAddress.v4(0);

/**
 * Rebuilds an MRT file from decoded records, from their elems alone: what
 * the model keeps comes back when the result is decoded, what it drops does
 * not (local AS and address, peer BGP ids, messages without elems, the SAFI
 * of multicast elems, attribute order). Records keep their MRT type and
 * subtype. RIB peers are gathered first, into one PEER_INDEX_TABLE written
 * before the first TABLE_DUMP_V2 record. Records that are not `valid` are skipped.
 */
export function encodeRecordsFromElems(records: Iterable<BgpRecord>): Uint8Array {
  const list = [...records].filter((r) => r.status === 'valid' && r.elems.length > 0);
  const peers: PeerIndexPeer[] = [];
  const peerIndex = new Map<string, number>();
  for (const r of list) {
    if (r.mrtType !== MRT_TABLE_DUMP_V2) continue;
    for (const e of r.elems) {
      const key = peerKey(e);
      if (peerIndex.has(key) || !e.peerAddress) continue;
      peerIndex.set(key, peers.length);
      peers.push({ bgpId: UNSPECIFIED_V4, address: e.peerAddress, asn: e.peerAsn, as4: true });
    }
  }
  const out: Uint8Array[] = [];
  let tableWritten = false;
  let sequence = 0;
  for (const r of list) {
    switch (r.mrtType) {
      case MRT_BGP4MP:
      case MRT_BGP4MP_ET:
        out.push(...bgp4mpRecords(r));
        break;
      case MRT_TABLE_DUMP_V2:
        if (!tableWritten) {
          out.push(encodePeerIndexTable({ timeSec: r.timeSec, collectorBgpId: UNSPECIFIED_V4, peers }));
          tableWritten = true;
        }
        out.push(ribRecord(r, peerIndex, sequence++));
        break;
      case MRT_TABLE_DUMP:
        for (const e of r.elems) out.push(tableDumpRecord(r, e, sequence++ & 0xffff));
        break;
      case MRT_BGP:
        out.push(...legacyRecords(r));
        break;
      default:
        throw new RangeError(`cannot re-encode MRT type ${r.mrtType}`);
    }
  }
  return concatRecords(out);
}

function peerKey(e: Elem): string {
  return `${e.peerAddress}|${e.peerAsn}`;
}

interface Nlri {
  prefixes: Prefix[];
  pathIds: number[] | null;
}

function nlriOf(elems: readonly Elem[]): Nlri {
  const withIds = elems.some((e) => e.pathId !== null);
  return { prefixes: elems.map((e) => e.prefix!), pathIds: withIds ? elems.map((e) => e.pathId ?? 0) : null };
}

interface UpdateParts {
  withdrawn: Nlri;
  announced: Nlri;
  attributes: PathAttributes | null;
  ipv4ViaMp: boolean;
}

/**
 * The UPDATEs behind a record's elems. An UPDATE holds one MP_REACH: IPv4
 * routes whose next hop came from MP_REACH go into a second UPDATE when the
 * record also has routes of the classic fields or IPv6 ones.
 */
function updateParts(elems: readonly Elem[]): UpdateParts[] {
  const withdrawals = elems.filter((e) => e.type === 'W');
  const announcements = elems.filter((e) => e.type === 'A');
  const attributes = announcements[0]?.attributes ?? null;
  const classic: Elem[] = [];
  const v4ViaMp: Elem[] = [];
  const v6: Elem[] = [];
  for (const e of announcements) {
    if (e.prefix!.family === 6) v6.push(e);
    else if (attributes && e.nextHop !== attributes.nextHop) v4ViaMp.push(e);
    else classic.push(e);
  }
  const parts: UpdateParts[] = [];
  if (withdrawals.length + classic.length + v6.length > 0) {
    parts.push({
      withdrawn: nlriOf(withdrawals),
      announced: nlriOf([...classic, ...v6]),
      attributes,
      ipv4ViaMp: false,
    });
  }
  if (v4ViaMp.length > 0) {
    parts.push({ withdrawn: nlriOf([]), announced: nlriOf(v4ViaMp), attributes, ipv4ViaMp: true });
  }
  return parts;
}

function bgp4mpRecords(r: BgpRecord): Uint8Array[] {
  const first = r.elems[0];
  const header: Bgp4mpHeader = {
    timeSec: r.timeSec,
    timeUsec: r.mrtType === MRT_BGP4MP_ET ? r.timeUsec : undefined,
    peerAsn: first.peerAsn,
    localAsn: 0,
    peerAddress: first.peerAddress,
    as4: AS4_MESSAGE_SUBTYPES.has(r.mrtSubtype) || r.mrtSubtype === BGP4MP_STATE_CHANGE_AS4,
    subtype: r.mrtSubtype,
  };
  if (first.type === 'S') {
    return r.elems.map((e) =>
      encodeBgp4mpStateChange({ ...header, oldState: e.oldState, newState: e.newState }),
    );
  }
  return updateParts(r.elems).map((part) =>
    encodeBgp4mpUpdate({
      ...header,
      withdrawn: part.withdrawn.prefixes,
      withdrawnPathIds: part.withdrawn.pathIds,
      announced: part.announced.prefixes,
      announcedPathIds: part.announced.pathIds,
      attributes: part.attributes,
      ipv4ViaMp: part.ipv4ViaMp,
    }),
  );
}

function ribRecord(r: BgpRecord, peerIndex: ReadonlyMap<string, number>, sequence: number): Uint8Array {
  const addPath = isAddPathSubtype(r.mrtType, r.mrtSubtype);
  return encodeRibRecord({
    timeSec: r.timeSec,
    prefix: r.elems[0].prefix!,
    sequence,
    addPath,
    multicast: MULTICAST_RIBS.has(r.mrtSubtype),
    generic: r.mrtSubtype === TDV2_RIB_GENERIC || r.mrtSubtype === TDV2_RIB_GENERIC_ADDPATH,
    entries: r.elems.map((e) => ({
      peerIndex: peerIndex.get(peerKey(e))!,
      origTimeSec: e.origTimeSec,
      pathId: addPath ? (e.pathId ?? 0) : undefined,
      attributes: e.attributes!,
    })),
  });
}

function tableDumpRecord(r: BgpRecord, e: Elem, sequence: number): Uint8Array {
  return encodeTableDump({
    timeSec: r.timeSec,
    sequence,
    prefix: e.prefix!,
    origTimeSec: e.origTimeSec,
    peerAddress: e.peerAddress!,
    peerAsn: e.peerAsn,
    attributes: e.attributes!,
  });
}

function legacyRecords(r: BgpRecord): Uint8Array[] {
  const first = r.elems[0];
  const header = { timeSec: r.timeSec, peerAsn: first.peerAsn, peerAddress: first.peerAddress! };
  if (first.type === 'S') {
    return r.elems.map((e) =>
      encodeBgpLegacyStateChange({ ...header, oldState: e.oldState, newState: e.newState }),
    );
  }
  return updateParts(r.elems).map((part) =>
    encodeBgpLegacyUpdate({
      ...header,
      localAsn: 0,
      localAddress: UNSPECIFIED_V4,
      withdrawn: part.withdrawn.prefixes,
      withdrawnPathIds: part.withdrawn.pathIds,
      announced: part.announced.prefixes,
      announcedPathIds: part.announced.pathIds,
      attributes: part.attributes,
      ipv4ViaMp: part.ipv4ViaMp,
    }),
  );
}
