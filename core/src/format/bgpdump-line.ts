import type { IpAddress } from '../model/address.js';
import type { Elem } from '../model/elem.js';
import type { Prefix } from '../model/prefix.js';
import type { BgpRecord } from '../model/record.js';
import {
  BGP4MP_MESSAGE_AS4_LOCAL,
  BGP4MP_MESSAGE_AS4_LOCAL_ADDPATH,
  BGP4MP_MESSAGE_LOCAL,
  BGP4MP_MESSAGE_LOCAL_ADDPATH,
  isAddPathSubtype,
  MRT_BGP,
  MRT_BGP4MP_ET,
  MRT_TABLE_DUMP,
  MRT_TABLE_DUMP_V2,
} from '../mrt/mrt-types.js';

export interface BgpdumpOptions {
  /** `m`: unix timestamps, full lines; `M`: human-readable UTC time, and A/B lines stop after the origin. */
  mode: 'm' | 'M';
  /** `-l`: a large-communities field after the communities. */
  largeCommunities?: boolean;
  /** `-t change`: RIB lines carry the entry's originated time instead of the dump's. */
  ribTimeIsChange?: boolean;
}

const ORIGINS = ['IGP', 'EGP', 'INCOMPLETE'];

/** bgpdump names the RFC 1997 well-known communities instead of printing their numbers. */
const WELL_KNOWN: Record<number, string> = {
  4294967041: 'no-export',
  4294967042: 'no-advertise',
  4294967043: 'local-AS',
};

function communitiesText(communities: readonly number[]): string {
  let out = '';
  for (let i = 0; i < communities.length; i++) {
    const c = communities[i];
    if (i > 0) out += ' ';
    out += WELL_KNOWN[c] ?? `${c >>> 16}:${c & 0xffff}`;
  }
  return out;
}

/** bgpdump's `%m/%d/%y %H:%M:%S`, in UTC. */
function humanTime(sec: number): string {
  const d = new Date(sec * 1000);
  const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
  return `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/**
 * bgpdump's own IPv6 text, which differs from inet_ntop: it compresses the
 * longest run of zero groups even when the run is a single group
 * (`2001:7f8:30::2:1:0:8447`), and prints IPv4-compatible addresses as `::a.b.c.d`.
 */
function addressText(a: IpAddress | null): string {
  if (a === null) return '0.0.0.0';
  if (a.family === 4) return a.toString();
  if (a.w0 === 0 && a.w1 === 0 && (a.w2 === 0xffff || (a.w2 === 0 && a.w3 > 1))) {
    const v4 = `${a.w3 >>> 24}.${(a.w3 >>> 16) & 255}.${(a.w3 >>> 8) & 255}.${a.w3 & 255}`;
    return a.w2 === 0xffff ? `::ffff:${v4}` : `::${v4}`;
  }
  const groups = [
    a.w0 >>> 16,
    a.w0 & 0xffff,
    a.w1 >>> 16,
    a.w1 & 0xffff,
    a.w2 >>> 16,
    a.w2 & 0xffff,
    a.w3 >>> 16,
    a.w3 & 0xffff,
  ];
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      out += i === 0 ? '::' : ':';
      i += bestLen - 1;
      continue;
    }
    out += groups[i].toString(16);
    if (i !== 7) out += ':';
  }
  return out;
}

function prefixText(p: Prefix | null): string {
  return p ? `${addressText(p.address)}/${p.length}` : '';
}

function usecText(usec: number): string {
  return `.${String(usec).padStart(6, '0')}`;
}

function isLocal(subtype: number): boolean {
  return (
    subtype === BGP4MP_MESSAGE_LOCAL ||
    subtype === BGP4MP_MESSAGE_AS4_LOCAL ||
    subtype === BGP4MP_MESSAGE_LOCAL_ADDPATH ||
    subtype === BGP4MP_MESSAGE_AS4_LOCAL_ADDPATH
  );
}

/** The first field: which MRT type the line came from, as bgpdump names it. */
function typeLabel(record: BgpRecord): string {
  const addPath = isAddPathSubtype(record.mrtType, record.mrtSubtype);
  if (record.mrtType === MRT_TABLE_DUMP) return 'TABLE_DUMP';
  if (record.mrtType === MRT_TABLE_DUMP_V2) return addPath ? 'TABLE_DUMP2_AP' : 'TABLE_DUMP2';
  if (record.mrtType === MRT_BGP) return 'BGP';
  let label = record.mrtType === MRT_BGP4MP_ET ? 'BGP4MP_ET' : 'BGP4MP';
  if (isLocal(record.mrtSubtype)) label += '_LOCAL';
  return addPath ? `${label}_AP` : label;
}

/**
 * Consecutive elems of one message share their record, peer and attributes: the parts of the line
 * built from those are kept from the previous call instead of being rendered again.
 */
interface LineCache {
  record: BgpRecord | null;
  options: BgpdumpOptions | null;
  head: string;
  peerAddress: Elem['peerAddress'] | undefined;
  peerAsn: number;
  peer: string;
  attrs: Elem['attributes'];
  nextHop: Elem['nextHop'];
  tail: string;
}

const cache: LineCache = {
  record: null,
  options: null,
  head: '',
  peerAddress: undefined,
  peerAsn: -1,
  peer: '',
  attrs: null,
  nextHop: null,
  tail: '',
};

/** `label|time|` of a record; RIB lines with `-t change` carry each entry's own time and are not cached. */
function recordHead(record: BgpRecord, elem: Elem, options: BgpdumpOptions): string {
  const label = typeLabel(record);
  const timeSec = elem.type === 'R' && options.ribTimeIsChange ? elem.origTimeSec : record.timeSec;
  let time = options.mode === 'm' ? String(timeSec) : humanTime(timeSec);
  if (record.mrtType === MRT_BGP4MP_ET) time += usecText(record.timeUsec);
  return `${label}|${time}|`;
}

/** `|aspath|origin` and, in -m mode, `|nexthop|lp|med|communities|[large|]AG|aggregator|`. */
function attributesTail(elem: Elem, options: BgpdumpOptions): string {
  const attrs = elem.attributes!;
  const short = `|${attrs.asPath}|${ORIGINS[attrs.origin] ?? 'INCOMPLETE'}`;
  if (options.mode === 'M') return short;
  // Without an MP_REACH next hop bgpdump prints the NEXT_HOP attribute, even for an IPv6 route, and
  // leaves a missing one at INADDR_NONE.
  const nh = elem.nextHop ?? attrs.nextHop;
  const nextHop = nh ? addressText(nh) : '255.255.255.255';
  let line = `${short}|${nextHop}|${attrs.localPref ?? 0}|${attrs.med ?? 0}|${communitiesText(attrs.communities)}|`;
  if (options.largeCommunities) line += `${attrs.largeCommunitiesString()}|`;
  line += attrs.atomicAggregate ? 'AG|' : 'NAG|';
  const ag = attrs.aggregator;
  return ag ? `${line}${ag.asn} ${ag.address}|` : `${line}|`;
}

/**
 * One line of `bgpdump -m` / `-M` for one elem, newline excluded. Every elem
 * gives one line.
 */
export function bgpdumpLine(record: BgpRecord, elem: Elem, options: BgpdumpOptions): string {
  const c = cache;
  if (c.record !== record || c.options !== options || options.ribTimeIsChange) {
    c.record = record;
    c.options = options;
    c.head = recordHead(record, elem, options);
    c.attrs = null;
  }
  if (c.peerAddress !== elem.peerAddress || c.peerAsn !== elem.peerAsn) {
    c.peerAddress = elem.peerAddress;
    c.peerAsn = elem.peerAsn;
    c.peer = `${addressText(elem.peerAddress)}|${elem.peerAsn}|`;
  }
  const pathId =
    elem.pathId !== null && isAddPathSubtype(record.mrtType, record.mrtSubtype) ? `|${elem.pathId}` : '';
  switch (elem.type) {
    case 'S':
      return `${c.head}STATE|${c.peer}${elem.oldState}|${elem.newState}`;
    case 'W':
      return `${c.head}W|${c.peer}${prefixText(elem.prefix)}${pathId}`;
    default:
      if (c.attrs !== elem.attributes || c.nextHop !== elem.nextHop) {
        c.attrs = elem.attributes;
        c.nextHop = elem.nextHop;
        c.tail = attributesTail(elem, options);
      }
      return `${c.head}${elem.type === 'R' ? 'B' : 'A'}|${c.peer}${prefixText(elem.prefix)}${pathId}${c.tail}`;
  }
}
