import type { BgpRecord, Elem } from '@bgpstream-ts/core';
import { AS_SET, PEER_STATES } from '@bgpstream-ts/core';

/**
 * The test oracle: what one elem row must hold, computed straight from the decoder's model with the
 * model's own accessors (independently of the column builder). Times are bigint counts of the
 * column's unit, binary values lowercase hex.
 */
export type Row = Record<string, unknown>;

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const state = (code: number) => (code >= 1 && code <= 8 ? PEER_STATES[code] : String(code));

export function expectedRow(record: BgpRecord, elem: Elem): Row {
  const a = elem.attributes;
  const p = elem.prefix;
  let network: string | null = null;
  if (p) {
    const bytes = p.address.toBytes();
    network = p.family === 4 ? `00000000000000000000ffff${hex(bytes)}` : hex(bytes);
  }
  const segs = a?.asPath.segments ?? [];
  const large: { global: number; local1: number; local2: number }[] = [];
  if (a) {
    for (let i = 0; i + 2 < a.largeCommunities.length; i += 3) {
      large.push({
        global: a.largeCommunities[i],
        local1: a.largeCommunities[i + 1],
        local2: a.largeCommunities[i + 2],
      });
    }
  }
  return {
    project: record.project,
    collector: record.collector,
    router: record.router === '' ? null : record.router,
    router_ip: record.routerIp ? record.routerIp.toString() : null,
    record_type: record.type,
    dump_time: BigInt(record.dumpTime) * 1_000_000n,
    record_time: BigInt(record.timeSec) * 1_000_000n + BigInt(record.timeUsec),
    status: record.status,
    dump_position: record.dumpPosition,
    elem_type: elem.type,
    peer_asn: elem.peerAsn,
    peer_address: elem.peerAddress ? elem.peerAddress.toString() : null,
    prefix: p ? p.toString() : null,
    prefix_family: p ? p.family : null,
    prefix_length: p ? p.length : null,
    prefix_network: network,
    next_hop: elem.nextHop ? elem.nextHop.toString() : null,
    as_path: a ? a.asPath.toString() : null,
    as_path_asns: a ? segs.flatMap((s) => [...s.asns]) : null,
    as_path_segment_types: a ? segs.flatMap((s) => s.asns.map(() => s.type)) : null,
    origin_asns: a ? [...(a.asPath.originSegment?.asns ?? [])] : null,
    communities: a ? a.communities.map((c) => ({ asn: c >>> 16, value: c & 0xffff })) : null,
    large_communities: a ? large : null,
    extended_communities: a ? a.extendedCommunities.map(hex) : null,
    origin: a && a.origin >= 0 ? ['IGP', 'EGP', 'INCOMPLETE'][a.origin] : null,
    med: a?.med ?? null,
    local_pref: a?.localPref ?? null,
    atomic_aggregate: a ? a.atomicAggregate : null,
    aggregator_asn: a?.aggregator ? a.aggregator.asn : null,
    aggregator_address: a?.aggregator ? a.aggregator.address.toString() : null,
    only_to_customer: a?.onlyToCustomer ?? null,
    path_id: elem.pathId,
    orig_time: elem.type === 'R' ? BigInt(elem.origTimeSec) * 1_000_000n : null,
    old_state: elem.type === 'S' ? state(elem.oldState) : null,
    new_state: elem.type === 'S' ? state(elem.newState) : null,
  };
}

/** Does the row use a feature the tests must cover? */
export const features = {
  asnAbove2e31: (r: Row) =>
    (r.peer_asn as number) >= 2 ** 31 ||
    ((r.as_path_asns as number[] | null) ?? []).some((x) => x >= 2 ** 31),
  ipv6Prefix: (r: Row) => r.prefix_family === 6,
  asSet: (r: Row) => ((r.as_path_segment_types as number[] | null) ?? []).includes(AS_SET),
  largeCommunities: (r: Row) => ((r.large_communities as unknown[] | null) ?? []).length > 0,
  pathId: (r: Row) => r.path_id !== null,
};
