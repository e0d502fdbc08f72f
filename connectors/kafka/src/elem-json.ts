import {
  AS_CONFED_SEQUENCE,
  AS_CONFED_SET,
  AS_SEQUENCE,
  AS_SET,
  AsPath,
  type AsPathSegment,
  BgpRecord,
  type DumpPosition,
  Elem,
  type ElemType,
  IpAddress,
  PathAttributes,
  PEER_STATES,
  Prefix,
  type RecordStatus,
  type RecordType,
} from '@bgpstream-ts/core';
import { DUMP_POSITIONS, ELEM_TYPES, RECORD_STATUSES, RECORD_TYPES } from '@bgpstream-ts/schemas';

// The json message format: one elem per message, one property per elem column, values as the Arrow
// connector puts them in its columns (schemas: `jsonSchemaOfArrowType` says how each type is written).

const ORIGIN_NAMES = ['IGP', 'EGP', 'INCOMPLETE'];
const HEX = '0123456789abcdef';

function stateName(code: number): string {
  return code >= 1 && code < PEER_STATES.length ? PEER_STATES[code] : String(code);
}

function stateCode(name: unknown, column: string): number {
  if (name === null) return 0;
  if (typeof name !== 'string') throw new Error(`${column} is not a string`);
  const i = PEER_STATES.indexOf(name as (typeof PEER_STATES)[number]);
  if (i >= 1) return i;
  if (/^\d{1,5}$/.test(name)) return Number(name);
  throw new Error(`${column} '${name}' is not a peer state`);
}

function hex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i] >> 4] + HEX[bytes[i] & 15];
  return out;
}

function word8(w: number): string {
  return (w >>> 0).toString(16).padStart(8, '0');
}

/** `prefix_network`: 16 bytes, IPv4 in the IPv4-mapped form, as the Arrow column. */
function networkHex(p: Prefix): string {
  const a = p.address;
  if (a.family === 4) return `00000000000000000000ffff${word8(a.w0)}`;
  return word8(a.w0) + word8(a.w1) + word8(a.w2) + word8(a.w3);
}

/** The json message object of one elem: the elem columns, in order. */
export function elemToJson(record: BgpRecord, e: Elem): Record<string, unknown> {
  const p = e.prefix;
  const a = e.attributes;
  const out: Record<string, unknown> = {
    project: record.project,
    collector: record.collector,
    router: record.router === '' ? null : record.router,
    router_ip: record.routerIp === null ? null : record.routerIp.toString(),
    record_type: record.type,
    dump_time: record.dumpTime * 1e6,
    record_time: record.timeSec * 1e6 + record.timeUsec,
    status: record.status,
    dump_position: record.dumpPosition,
    elem_type: e.type,
    peer_asn: e.peerAsn,
    peer_address: e.peerAddress === null ? null : e.peerAddress.toString(),
    prefix: p === null ? null : p.toString(),
    prefix_family: p === null ? null : p.address.family,
    prefix_length: p === null ? null : p.length,
    prefix_network: p === null ? null : networkHex(p),
    next_hop: e.nextHop === null ? null : e.nextHop.toString(),
    as_path: null,
    as_path_asns: null,
    as_path_segment_types: null,
    origin_asns: null,
    communities: null,
    large_communities: null,
    extended_communities: null,
    origin: null,
    med: null,
    local_pref: null,
    atomic_aggregate: null,
    aggregator_asn: null,
    aggregator_address: null,
    only_to_customer: null,
    path_id: e.pathId,
    orig_time: e.type === 'R' ? e.origTimeSec * 1e6 : null,
    old_state: e.type === 'S' ? stateName(e.oldState) : null,
    new_state: e.type === 'S' ? stateName(e.newState) : null,
  };
  if (a !== null) {
    const path = a.asPath;
    const asns: number[] = [];
    const types: number[] = [];
    for (const seg of path.segments) {
      for (const asn of seg.asns) {
        asns.push(asn);
        types.push(seg.type);
      }
    }
    out.as_path = path.toString();
    out.as_path_asns = asns;
    out.as_path_segment_types = types;
    out.origin_asns = [...(path.originSegment?.asns ?? [])];
    out.communities = a.communities.map((c) => ({ asn: c >>> 16, value: c & 0xffff }));
    const large: { global: number; local1: number; local2: number }[] = [];
    const l = a.largeCommunities;
    for (let i = 0; i + 2 < l.length; i += 3)
      large.push({ global: l[i], local1: l[i + 1], local2: l[i + 2] });
    out.large_communities = large;
    out.extended_communities = a.extendedCommunities.map(hex);
    out.origin = a.origin >= 0 ? (ORIGIN_NAMES[a.origin] ?? String(a.origin)) : null;
    out.med = a.med;
    out.local_pref = a.localPref;
    out.atomic_aggregate = a.atomicAggregate;
    out.aggregator_asn = a.aggregator === null ? null : a.aggregator.asn;
    out.aggregator_address = a.aggregator === null ? null : a.aggregator.address.toString();
    out.only_to_customer = a.onlyToCustomer;
  }
  return out;
}

/** A JSON string literal; plain text (the common case) without going through JSON.stringify. */
function str(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c > 0x7e) return JSON.stringify(text);
  }
  return `"${text}"`;
}

const nstr = (v: { toString(): string } | null): string => (v === null ? 'null' : str(v.toString()));
const nnum = (v: number | null): string => (v === null ? 'null' : String(v));

/** The record columns of the json message of every elem of `record`, rendered once per record. */
const recordHeads = new WeakMap<BgpRecord, string>();

function recordHead(r: BgpRecord): string {
  let head = recordHeads.get(r);
  if (head === undefined) {
    head =
      `{"project":${str(r.project)},"collector":${str(r.collector)},` +
      `"router":${r.router === '' ? 'null' : str(r.router)},"router_ip":${nstr(r.routerIp)},` +
      `"record_type":${str(r.type)},"dump_time":${r.dumpTime * 1e6},"record_time":${r.timeSec * 1e6 + r.timeUsec},` +
      `"status":${str(r.status)},"dump_position":${str(r.dumpPosition)},`;
    recordHeads.set(r, head);
  }
  return head;
}

/** The attribute columns, shared by the elems of one message: rendered once per attribute set. */
const attributeTexts = new WeakMap<PathAttributes, string>();

function attributeText(a: PathAttributes): string {
  let text = attributeTexts.get(a);
  if (text === undefined) {
    const path = a.asPath;
    let asns = '';
    let types = '';
    for (const seg of path.segments) {
      for (const asn of seg.asns) {
        if (asns !== '') {
          asns += ',';
          types += ',';
        }
        asns += asn;
        types += seg.type;
      }
    }
    const origin = path.originSegment?.asns ?? [];
    let comms = '';
    for (const c of a.communities)
      comms += `${comms === '' ? '' : ','}{"asn":${c >>> 16},"value":${c & 0xffff}}`;
    let large = '';
    const l = a.largeCommunities;
    for (let i = 0; i + 2 < l.length; i += 3) {
      large += `${large === '' ? '' : ','}{"global":${l[i]},"local1":${l[i + 1]},"local2":${l[i + 2]}}`;
    }
    const ext = a.extendedCommunities.map((x) => `"${hex(x)}"`).join(',');
    const originName = a.origin >= 0 ? str(ORIGIN_NAMES[a.origin] ?? String(a.origin)) : 'null';
    text =
      `"as_path":${str(path.toString())},"as_path_asns":[${asns}],"as_path_segment_types":[${types}],` +
      `"origin_asns":[${origin.join(',')}],"communities":[${comms}],"large_communities":[${large}],` +
      `"extended_communities":[${ext}],"origin":${originName},"med":${nnum(a.med)},"local_pref":${nnum(a.localPref)},` +
      `"atomic_aggregate":${a.atomicAggregate},"aggregator_asn":${a.aggregator === null ? 'null' : a.aggregator.asn},` +
      `"aggregator_address":${a.aggregator === null ? 'null' : str(a.aggregator.address.toString())},` +
      `"only_to_customer":${nnum(a.onlyToCustomer)},`;
    attributeTexts.set(a, text);
  }
  return text;
}

const NO_ATTRIBUTES =
  '"as_path":null,"as_path_asns":null,"as_path_segment_types":null,"origin_asns":null,"communities":null,' +
  '"large_communities":null,"extended_communities":null,"origin":null,"med":null,"local_pref":null,' +
  '"atomic_aggregate":null,"aggregator_asn":null,"aggregator_address":null,"only_to_customer":null,';

/**
 * The json message text of one elem: `JSON.stringify(elemToJson(record, e))`, byte for byte, but
 * written directly (record and attribute parts once per record and per attribute set): the
 * exporter's hot path.
 */
export function elemJsonText(record: BgpRecord, e: Elem): string {
  const p = e.prefix;
  const prefixPart =
    p === null
      ? '"prefix":null,"prefix_family":null,"prefix_length":null,"prefix_network":null,'
      : `"prefix":${str(p.toString())},"prefix_family":${p.address.family},"prefix_length":${p.length},"prefix_network":"${networkHex(p)}",`;
  const state =
    e.type === 'S'
      ? `"old_state":${str(stateName(e.oldState))},"new_state":${str(stateName(e.newState))}}`
      : '"old_state":null,"new_state":null}';
  return (
    `${recordHead(record)}"elem_type":"${e.type}","peer_asn":${e.peerAsn},"peer_address":${nstr(e.peerAddress)},` +
    `${prefixPart}"next_hop":${nstr(e.nextHop)},` +
    (e.attributes === null ? NO_ATTRIBUTES : attributeText(e.attributes)) +
    `"path_id":${nnum(e.pathId)},"orig_time":${e.type === 'R' ? e.origTimeSec * 1e6 : 'null'},${state}`
  );
}

// ---- back: a json message into a record (the `json` data-type of the kafka data interface) ----

type Json = Record<string, unknown>;

function need<T>(o: Json, key: string, check: (v: unknown) => v is T, what: string): T {
  const v = o[key];
  if (!check(v)) throw new Error(`'${key}' is not ${what}`);
  return v;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isUint = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isNullableString = (v: unknown): v is string | null => v === null || typeof v === 'string';
const isNullableUint = (v: unknown): v is number | null => v === null || isUint(v);
const isArray = (v: unknown): v is unknown[] => Array.isArray(v);
const oneOf =
  <T extends string>(values: readonly T[]) =>
  (v: unknown): v is T =>
    typeof v === 'string' && (values as readonly string[]).includes(v);

function address(text: string | null, column: string): IpAddress | null {
  if (text === null) return null;
  const a = IpAddress.tryParse(text);
  if (!a) throw new Error(`'${column}' '${text}' is not an IP address`);
  return a;
}

/** The prefix as written (not masked: elems keep the prefix as decoded from the wire). */
function prefix(text: string | null): Prefix | null {
  if (text === null) return null;
  const slash = text.indexOf('/');
  const a = slash > 0 ? IpAddress.tryParse(text.slice(0, slash)) : undefined;
  const len = Number(text.slice(slash + 1));
  if (!a || !/^\d{1,3}$/.test(text.slice(slash + 1)) || len > a.bitLength) {
    throw new Error(`'prefix' '${text}' is not a prefix`);
  }
  return new Prefix(a, len);
}

const SEGMENT_TYPES: Record<string, number> = { '{': AS_SET, '(': AS_CONFED_SEQUENCE, '[': AS_CONFED_SET };
const CLOSERS: Record<string, string> = { '{': '}', '(': ')', '[': ']', '<': '>' };

/**
 * The AS path from its text, which keeps segment boundaries, with the type of `<...>` segments
 * (unknown types) from `as_path_segment_types`.
 */
export function parseAsPath(text: string, types: readonly number[]): AsPath {
  const segs: AsPathSegment[] = [];
  let i = 0;
  let flat = 0;
  let seq: number[] | null = null;
  const num = (t: string) => {
    if (!/^\d{1,10}$/.test(t) || Number(t) > 0xffffffff) throw new Error(`'as_path' has a bad ASN '${t}'`);
    return Number(t);
  };
  while (i < text.length) {
    const c = text[i];
    if (c === ' ') {
      i++;
      continue;
    }
    const close = CLOSERS[c];
    if (close !== undefined) {
      const end = text.indexOf(close, i + 1);
      if (end < 0) throw new Error(`'as_path' '${text}': '${c}' is not closed`);
      const inner = text.slice(i + 1, end).trim();
      const asns = inner === '' ? [] : inner.split(/[ ,]+/).map(num);
      const type = SEGMENT_TYPES[c] ?? types[flat] ?? 0;
      seq = null;
      segs.push({ type, asns });
      flat += asns.length;
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < text.length && text[j] !== ' ') j++;
    const asn = num(text.slice(i, j));
    if (seq === null) {
      seq = [];
      segs.push({ type: AS_SEQUENCE, asns: seq });
    }
    seq.push(asn);
    flat++;
    i = j;
  }
  return new AsPath(segs);
}

function attributesFrom(o: Json, nextHop: IpAddress | null, p: Prefix | null): PathAttributes {
  const a = new PathAttributes();
  const types = need(o, 'as_path_segment_types', isArray, 'an array') as number[];
  a.asPath = parseAsPath(need(o, 'as_path', isString, 'a string'), types);
  const origin = need(o, 'origin', isNullableString, 'a string or null');
  if (origin !== null) {
    const i = ORIGIN_NAMES.indexOf(origin);
    a.origin = i >= 0 ? i : Number(origin);
    if (!(a.origin >= 0)) throw new Error(`'origin' '${origin}' is not an ORIGIN`);
  }
  if (nextHop !== null) {
    if (nextHop.family === 4 && (p === null || p.family === 4)) a.nextHop = nextHop;
    else a.mpNextHop = nextHop;
  }
  a.med = need(o, 'med', isNullableUint, 'an integer or null');
  a.localPref = need(o, 'local_pref', isNullableUint, 'an integer or null');
  a.atomicAggregate = o.atomic_aggregate === true;
  const aggAsn = need(o, 'aggregator_asn', isNullableUint, 'an integer or null');
  const aggAddr = address(
    need(o, 'aggregator_address', isNullableString, 'a string or null'),
    'aggregator_address',
  );
  if (aggAsn !== null && aggAddr !== null) a.aggregator = { asn: aggAsn, address: aggAddr };
  a.onlyToCustomer = need(o, 'only_to_customer', isNullableUint, 'an integer or null');
  a.communities = (need(o, 'communities', isArray, 'an array') as { asn: number; value: number }[]).map(
    (c) => ((c.asn << 16) | c.value) >>> 0,
  );
  const large: number[] = [];
  for (const c of need(o, 'large_communities', isArray, 'an array') as Json[]) {
    large.push(Number(c.global), Number(c.local1), Number(c.local2));
  }
  a.largeCommunities = large;
  a.extendedCommunities = (need(o, 'extended_communities', isArray, 'an array') as string[]).map((h) => {
    if (!/^[0-9a-f]{16}$/i.test(h)) throw new Error(`extended community '${h}' is not 8 bytes of hex`);
    return Uint8Array.from(Buffer.from(h, 'hex'));
  });
  return a;
}

export interface JsonRecordDefaults {
  /** Override the message's project/collector when non-empty (the data interface's options). */
  project?: string;
  collector?: string;
}

/**
 * A json elem message back into a record of one elem. Throws (with the column at fault) when the
 * text is not an elem message; the caller makes that a `corrupted-record`.
 */
export function jsonToRecord(
  text: string,
  raw: Uint8Array | null,
  defaults: JsonRecordDefaults = {},
): BgpRecord {
  const o = JSON.parse(text) as Json;
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new Error('not a JSON object');
  const type = need(o, 'elem_type', oneOf<ElemType>(ELEM_TYPES), `one of ${ELEM_TYPES.join(', ')}`);
  const time = need(o, 'record_time', isUint, 'an integer (microseconds)');
  const timeSec = Math.floor(time / 1e6);
  const timeUsec = time - timeSec * 1e6;
  const p = prefix(need(o, 'prefix', isNullableString, 'a string or null'));
  const nextHop = address(need(o, 'next_hop', isNullableString, 'a string or null'), 'next_hop');
  const attrs = o.as_path === null || o.as_path === undefined ? null : attributesFrom(o, nextHop, p);
  const origTime = need(o, 'orig_time', isNullableUint, 'an integer or null');
  const elem = new Elem(
    type,
    timeSec,
    timeUsec,
    address(need(o, 'peer_address', isNullableString, 'a string or null'), 'peer_address'),
    need(o, 'peer_asn', isUint, 'an integer'),
    p,
    need(o, 'path_id', isNullableUint, 'an integer or null'),
    nextHop,
    attrs,
    stateCode(o.old_state ?? null, 'old_state'),
    stateCode(o.new_state ?? null, 'new_state'),
    origTime === null ? 0 : Math.floor(origTime / 1e6),
  );
  const record = new BgpRecord(
    defaults.project || need(o, 'project', isString, 'a string'),
    defaults.collector || need(o, 'collector', isString, 'a string'),
    need(o, 'record_type', oneOf<RecordType>(RECORD_TYPES), 'rib or update'),
    Math.floor(need(o, 'dump_time', isUint, 'an integer (microseconds)') / 1e6),
    timeSec,
    timeUsec,
    need(o, 'status', oneOf<RecordStatus>(RECORD_STATUSES), 'a record status'),
    0,
    0,
    [elem],
    raw,
  );
  record.dumpPosition = need(o, 'dump_position', oneOf<DumpPosition>(DUMP_POSITIONS), 'start, middle or end');
  const router = need(o, 'router', isNullableString, 'a string or null');
  record.router = router ?? '';
  record.routerIp = address(need(o, 'router_ip', isNullableString, 'a string or null'), 'router_ip');
  return record;
}
