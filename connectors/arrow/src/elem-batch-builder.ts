import type { AsPath, BgpRecord, Elem, PathAttributes } from '@bgpstream-ts/core';
import { PEER_STATES } from '@bgpstream-ts/core';
import { ELEM_COLUMNS, elemArrowSchema } from '@bgpstream-ts/schemas';
import {
  type Data,
  type DataType,
  makeData,
  RecordBatch,
  type Schema,
  Struct,
  type TypeMap,
} from 'apache-arrow';
import {
  AddressTable,
  type Alloc,
  asPathTextBound,
  type BatchMemory,
  DictValues,
  freshArrays,
  grow,
  ListTable,
  type Order,
  radixSort,
  TextTable,
  validity,
  writeAsPathText,
  writeSlashLength,
  writeUtf8,
  writeV4Text,
} from './column-buffers.js';

const ORIGIN_NAMES = ['IGP', 'EGP', 'INCOMPLETE'];

/** BGPStream's state name, or the decimal code when it has none. */
function stateName(code: number): string {
  return code >= 1 && code < PEER_STATES.length ? PEER_STATES[code] : String(code);
}

const u8 = (n: number, alloc: Alloc) => alloc.u8(n);
const u32 = (n: number, alloc: Alloc) => alloc.u32(n);

function fieldType(name: string): DataType {
  const col = ELEM_COLUMNS.find((c) => c.name === name);
  if (!col) throw new Error(`no column ${name}`);
  return col.type;
}

/** The child type of a list column. */
function childType(listName: string): DataType {
  return fieldType(listName).children[0].type;
}

function structChildren(listName: string): DataType[] {
  return (childType(listName) as Struct).children.map((f) => f.type);
}

function uintData(type: DataType, values: Uint8Array | Uint16Array | Uint32Array): Data {
  return makeData({ type, length: values.length, nullCount: 0, data: values } as never);
}

/** A non-negative integer below 2^53 as little-endian 32-bit halves at `words[2k]`, `words[2k + 1]`. */
function setTime(words: Uint32Array, k: number, t: number): void {
  const hi = Math.floor(t / 4294967296);
  words[2 * k] = t - hi * 4294967296;
  words[2 * k + 1] = hi;
}

/** `src[row[i]]` for the `n` output rows, into `out` (a new array unless given). */
function pick(src: Int32Array, row: Int32Array, n: number, out: Int32Array): Int32Array {
  for (let i = 0; i < n; i++) out[i] = src[row[i]];
  return out;
}

/** `table[via[i]]`, or -1 where `via[i]` is -1, into `out`. */
function through(table: Int32Array, via: Int32Array, n: number, out: Int32Array): Int32Array {
  for (let i = 0; i < n; i++) {
    const k = via[i];
    out[i] = k < 0 ? -1 : table[k];
  }
  return out;
}

/** Fixed-width values `values[via[i]]` (with `valid[via[i]]`, when given; negative `via`: null). */
function gatherFixed<A extends Uint8Array | Uint32Array>(
  type: DataType,
  make: (n: number, alloc: Alloc) => A,
  values: A,
  valid: Uint8Array | null,
  via: Int32Array,
  n: number,
  alloc: Alloc,
): Data {
  const out = make(n, alloc);
  const bitmap = alloc.u8((n + 7) >> 3);
  let nulls = 0;
  let bits = 0;
  for (let i = 0; i < n; i++) {
    const k = via[i];
    if (k < 0 || (valid !== null && valid[k] === 0)) nulls++;
    else {
      out[i] = values[k];
      bits |= 1 << (i & 7);
    }
    if ((i & 7) === 7) {
      bitmap[i >> 3] = bits;
      bits = 0;
    }
  }
  if (n & 7) bitmap[n >> 3] = bits;
  return makeData({ type, length: n, ...validity(bitmap, nulls), data: out } as never);
}

/** int64 timestamps from little-endian word pairs `words[2k], words[2k + 1]`, k = `via[i]`. */
function gatherTime(
  type: DataType,
  words: Uint32Array,
  valid: Uint8Array | null,
  via: Int32Array,
  n: number,
  alloc: Alloc,
): Data {
  const out = alloc.i64(n);
  const o32 = new Uint32Array(out.buffer, out.byteOffset, 2 * n);
  const bitmap = alloc.u8((n + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const k = via[i];
    if (valid !== null && valid[k] === 0) nulls++;
    else {
      o32[2 * i] = words[2 * k];
      o32[2 * i + 1] = words[2 * k + 1];
      bitmap[i >> 3] |= 1 << (i & 7);
    }
  }
  return makeData({ type, length: n, ...validity(bitmap, nulls), data: out } as never);
}

export interface ElemBatchBuilderOptions {
  /** Rows to allocate for at first (buffers grow as needed). Default 1024. */
  initialCapacity?: number;
  /**
   * Keep dictionaries across batches (each batch's dictionary extends the previous one, sent as
   * deltas in IPC). Default true; false gives each batch a dictionary of its own values only.
   */
  stableDictionaries?: boolean;
  /**
   * Take the emitted batches' arrays from this memory instead of allocating them: each batch is then
   * valid only until `memory.recycle()` (for callers that serialize a batch and drop it).
   */
  batchMemory?: BatchMemory;
}

/**
 * Collects elems as columns in typed arrays and emits them as Arrow record batches of the elem
 * schema (`@bgpstream-ts/schemas`). Text is the model's (cached `toString()`, or the same digits
 * written straight from an IPv4 word); nothing is parsed back from text. Memory is the rows appended
 * since the last `finish()`.
 *
 * What one record or one message shares is stored once: a row holds an index into a table of its
 * record's values (project, times, router...), one into a table of its message's path attributes
 * (AS path text and lists, communities, MED...), and indexes into tables of distinct peer and
 * next-hop addresses. Only the prefix and a few numbers are written per row; the emitted columns
 * gather from the tables.
 */
export class ElemBatchBuilder {
  readonly schema: Schema = elemArrowSchema();
  private rows = 0;
  private capacity: number;
  private readonly memory: BatchMemory | null;

  // Dictionaries of the dictionary-encoded columns.
  private readonly dProject: DictValues;
  private readonly dCollector: DictValues;
  private readonly dRouter: DictValues;
  private readonly dRecordType: DictValues;
  private readonly dStatus: DictValues;
  private readonly dDumpPosition: DictValues;
  private readonly dElemType: DictValues;
  private readonly dOrigin: DictValues;
  private readonly dOldState: DictValues;
  private readonly dNewState: DictValues;

  // Per row.
  private rowRec: Int32Array;
  private rowAttr: Int32Array;
  private rowElemType: Int32Array;
  private rowPeerAsn: Uint32Array;
  private rowPeer: Int32Array;
  /** Prefix text: row `r` is `prefixBytes[prefixOffsets[r], prefixOffsets[r + 1])`. */
  private prefixOffsets: Int32Array;
  private prefixBytes: Buffer;
  private hasPrefix: Uint8Array;
  private rowFamily: Uint8Array;
  private rowLength: Uint8Array;
  /** The prefix network as four big-endian 32-bit words (IPv4 mapped into IPv6). */
  private rowNetwork: Uint32Array;
  private rowNextHop: Int32Array;
  private rowPathId: Uint32Array;
  private rowPathIdValid: Uint8Array;
  private rowOrigTime: Uint32Array;
  private rowIsRib: Uint8Array;
  private rowOldState: Int32Array;
  private rowNewState: Int32Array;
  private lastPrefix: Elem['prefix'] = null;

  // Per record: one entry per record appended (several appends of one record share it).
  private recCount = 0;
  private recCapacity = 64;
  private recProject = new Int32Array(64);
  private recCollector = new Int32Array(64);
  private recRouter = new Int32Array(64);
  private recRouterIp = new Int32Array(64);
  private recType = new Int32Array(64);
  private recStatus = new Int32Array(64);
  private recDumpPosition = new Int32Array(64);
  private recDumpTime = new Uint32Array(128);
  private recTime = new Uint32Array(128);
  private lastRecord: BgpRecord | null = null;
  private readonly routerIps = new AddressTable(16, 256);

  // Per message: one entry per path attributes object (the elems of a message share it and arrive
  // together; an object met again later gets a second entry).
  private attrCount = 0;
  private attrCapacity = 64;
  private attrPath = new Int32Array(64);
  private attrOrigin = new Int32Array(64);
  private attrMed = new Uint32Array(64);
  private attrMedValid = new Uint8Array(64);
  private attrLocalPref = new Uint32Array(64);
  private attrLocalPrefValid = new Uint8Array(64);
  private attrAtomic = new Uint8Array(64);
  private attrAggAsn = new Uint32Array(64);
  private attrAggValid = new Uint8Array(64);
  private attrAggAddress = new Int32Array(64);
  private attrOtc = new Uint32Array(64);
  private attrOtcValid = new Uint8Array(64);
  private readonly asPathText = new TextTable(64, 4096);
  private readonly asPathAsns = new ListTable(u32, 1);
  private readonly asPathTypes = new ListTable(u8, 1);
  private readonly originAsns = new ListTable(u32, 1);
  private readonly communities = new ListTable(u32, 1);
  private readonly largeCommunities = new ListTable(u32, 3);
  private readonly extendedCommunities = new ListTable(u8, 8);
  private readonly aggregatorAddresses = new AddressTable(16, 256);
  private lastAttrs: PathAttributes | null = null;
  private lastAttrIndex = -1;
  private lastPath: AsPath | null = null;
  private lastPathIndex = -1;

  // Distinct peer and next-hop addresses.
  private readonly peers = new AddressTable(64, 1024);
  private readonly nextHops = new AddressTable(256, 4096);

  /** Columns in schema order, each with how to emit it. */
  private readonly emitters: ((ctx: EmitContext) => Data)[];

  constructor(options: ElemBatchBuilderOptions = {}) {
    const cap = Math.max(16, options.initialCapacity ?? 1024);
    this.capacity = cap;
    const stable = options.stableDictionaries ?? true;
    this.memory = options.batchMemory ?? null;
    const dict = () => new DictValues(stable);
    this.dProject = dict();
    this.dCollector = dict();
    this.dRouter = dict();
    this.dRecordType = dict();
    this.dStatus = dict();
    this.dDumpPosition = dict();
    this.dElemType = dict();
    this.dOrigin = dict();
    this.dOldState = dict();
    this.dNewState = dict();

    this.rowRec = new Int32Array(cap);
    this.rowAttr = new Int32Array(cap);
    this.rowElemType = new Int32Array(cap);
    this.rowPeerAsn = new Uint32Array(cap);
    this.rowPeer = new Int32Array(cap);
    this.prefixOffsets = new Int32Array(cap + 1);
    this.prefixBytes = Buffer.allocUnsafe(20 * cap);
    this.hasPrefix = new Uint8Array(cap);
    this.rowFamily = new Uint8Array(cap);
    this.rowLength = new Uint8Array(cap);
    this.rowNetwork = new Uint32Array(4 * cap);
    this.rowNextHop = new Int32Array(cap);
    this.rowPathId = new Uint32Array(cap);
    this.rowPathIdValid = new Uint8Array(cap);
    this.rowOrigTime = new Uint32Array(2 * cap);
    this.rowIsRib = new Uint8Array(cap);
    this.rowOldState = new Int32Array(cap);
    this.rowNewState = new Int32Array(cap);

    const byName: Record<string, (c: EmitContext) => Data> = {
      project: (c) =>
        this.dProject.data(c.type, through(this.recProject, c.rec, c.n, c.scratch), c.n, c.alloc),
      collector: (c) =>
        this.dCollector.data(c.type, through(this.recCollector, c.rec, c.n, c.scratch), c.n, c.alloc),
      router: (c) => this.dRouter.data(c.type, through(this.recRouter, c.rec, c.n, c.scratch), c.n, c.alloc),
      router_ip: (c) =>
        this.routerIps.gather(c.type, through(this.recRouterIp, c.rec, c.n, c.scratch), c.n, c.alloc),
      record_type: (c) =>
        this.dRecordType.data(c.type, through(this.recType, c.rec, c.n, c.scratch), c.n, c.alloc),
      dump_time: (c) => gatherTime(c.type, this.recDumpTime, null, c.rec, c.n, c.alloc),
      record_time: (c) => gatherTime(c.type, this.recTime, null, c.rec, c.n, c.alloc),
      status: (c) => this.dStatus.data(c.type, through(this.recStatus, c.rec, c.n, c.scratch), c.n, c.alloc),
      dump_position: (c) =>
        this.dDumpPosition.data(c.type, through(this.recDumpPosition, c.rec, c.n, c.scratch), c.n, c.alloc),
      elem_type: (c) =>
        this.dElemType.data(c.type, pick(this.rowElemType, c.row, c.n, c.scratch), c.n, c.alloc),
      peer_asn: (c) => gatherFixed(c.type, u32, this.rowPeerAsn, null, c.row, c.n, c.alloc),
      peer_address: (c) => this.peers.gather(c.type, pick(this.rowPeer, c.row, c.n, c.scratch), c.n, c.alloc),
      prefix: (c) => this.prefixData(c),
      prefix_family: (c) => gatherFixed(c.type, u8, this.rowFamily, this.hasPrefix, c.row, c.n, c.alloc),
      prefix_length: (c) => gatherFixed(c.type, u8, this.rowLength, this.hasPrefix, c.row, c.n, c.alloc),
      prefix_network: (c) => this.networkData(c),
      next_hop: (c) =>
        this.nextHops.gather(c.type, pick(this.rowNextHop, c.row, c.n, c.scratch), c.n, c.alloc),
      as_path: (c) =>
        this.asPathText.gather(c.type, through(this.attrPath, c.attr, c.n, c.scratch), c.n, c.alloc),
      as_path_asns: (c) =>
        this.asPathAsns.gather(c.type, c.attr, c.n, c.alloc, (flat) =>
          uintData(childType('as_path_asns'), flat),
        ),
      as_path_segment_types: (c) =>
        this.asPathTypes.gather(c.type, c.attr, c.n, c.alloc, (flat) =>
          uintData(childType('as_path_segment_types'), flat),
        ),
      origin_asns: (c) =>
        this.originAsns.gather(c.type, c.attr, c.n, c.alloc, (flat) =>
          uintData(childType('origin_asns'), flat),
        ),
      communities: (c) => this.communities.gather(c.type, c.attr, c.n, c.alloc, communitiesChild),
      large_communities: (c) =>
        this.largeCommunities.gather(c.type, c.attr, c.n, c.alloc, largeCommunitiesChild),
      extended_communities: (c) =>
        this.extendedCommunities.gather(c.type, c.attr, c.n, c.alloc, (flat, items) =>
          makeData({
            type: childType('extended_communities'),
            length: items,
            nullCount: 0,
            data: flat,
          } as never),
        ),
      origin: (c) =>
        this.dOrigin.data(c.type, through(this.attrOrigin, c.attr, c.n, c.scratch), c.n, c.alloc),
      med: (c) => gatherFixed(c.type, u32, this.attrMed, this.attrMedValid, c.attr, c.n, c.alloc),
      local_pref: (c) =>
        gatherFixed(c.type, u32, this.attrLocalPref, this.attrLocalPrefValid, c.attr, c.n, c.alloc),
      atomic_aggregate: (c) => this.atomicData(c),
      aggregator_asn: (c) =>
        gatherFixed(c.type, u32, this.attrAggAsn, this.attrAggValid, c.attr, c.n, c.alloc),
      aggregator_address: (c) =>
        this.aggregatorAddresses.gather(
          c.type,
          through(this.attrAggAddress, c.attr, c.n, c.scratch),
          c.n,
          c.alloc,
        ),
      only_to_customer: (c) =>
        gatherFixed(c.type, u32, this.attrOtc, this.attrOtcValid, c.attr, c.n, c.alloc),
      path_id: (c) => gatherFixed(c.type, u32, this.rowPathId, this.rowPathIdValid, c.row, c.n, c.alloc),
      orig_time: (c) => gatherTime(c.type, this.rowOrigTime, this.rowIsRib, c.row, c.n, c.alloc),
      old_state: (c) =>
        this.dOldState.data(c.type, pick(this.rowOldState, c.row, c.n, c.scratch), c.n, c.alloc),
      new_state: (c) =>
        this.dNewState.data(c.type, pick(this.rowNewState, c.row, c.n, c.scratch), c.n, c.alloc),
    };
    this.emitters = this.schema.fields.map((f) => {
      const emit = byName[f.name];
      if (!emit) throw new Error(`ElemBatchBuilder has no buffer for column '${f.name}'`);
      return (c: EmitContext) => {
        c.type = f.type;
        return emit(c);
      };
    });
  }

  /** Rows appended since the last `finish()`. */
  get length(): number {
    return this.rows;
  }

  /** Approximate bytes held by the buffers (allocated, not only used). */
  get byteLength(): number {
    let bytes = this.prefixBytes.byteLength;
    for (const a of [
      this.rowRec,
      this.rowAttr,
      this.rowElemType,
      this.rowPeerAsn,
      this.rowPeer,
      this.prefixOffsets,
      this.hasPrefix,
      this.rowFamily,
      this.rowLength,
      this.rowNetwork,
      this.rowNextHop,
      this.rowPathId,
      this.rowPathIdValid,
      this.rowOrigTime,
      this.rowIsRib,
      this.rowOldState,
      this.rowNewState,
    ])
      bytes += a.byteLength;
    // Record table: 7 int32 and 4 uint32 per entry; message table: 12 four- or one-byte fields.
    bytes += this.recCapacity * 44 + this.attrCapacity * 34;
    for (const t of [
      this.routerIps,
      this.asPathText,
      this.asPathAsns,
      this.asPathTypes,
      this.originAsns,
      this.communities,
      this.largeCommunities,
      this.extendedCommunities,
      this.aggregatorAddresses,
      this.peers,
      this.nextHops,
    ])
      bytes += t.byteLength;
    return bytes;
  }

  private growRows(): void {
    const next = 2 * this.capacity;
    this.rowRec = grow(this.rowRec, next);
    this.rowAttr = grow(this.rowAttr, next);
    this.rowElemType = grow(this.rowElemType, next);
    this.rowPeerAsn = grow(this.rowPeerAsn, next);
    this.rowPeer = grow(this.rowPeer, next);
    this.prefixOffsets = grow(this.prefixOffsets, next + 1);
    this.hasPrefix = grow(this.hasPrefix, next);
    this.rowFamily = grow(this.rowFamily, next);
    this.rowLength = grow(this.rowLength, next);
    this.rowNetwork = grow(this.rowNetwork, 4 * next);
    this.rowNextHop = grow(this.rowNextHop, next);
    this.rowPathId = grow(this.rowPathId, next);
    this.rowPathIdValid = grow(this.rowPathIdValid, next);
    this.rowOrigTime = grow(this.rowOrigTime, 2 * next);
    this.rowIsRib = grow(this.rowIsRib, next);
    this.rowOldState = grow(this.rowOldState, next);
    this.rowNewState = grow(this.rowNewState, next);
    this.capacity = next;
  }

  private growRecords(): void {
    const next = 2 * this.recCapacity;
    this.recProject = grow(this.recProject, next);
    this.recCollector = grow(this.recCollector, next);
    this.recRouter = grow(this.recRouter, next);
    this.recRouterIp = grow(this.recRouterIp, next);
    this.recType = grow(this.recType, next);
    this.recStatus = grow(this.recStatus, next);
    this.recDumpPosition = grow(this.recDumpPosition, next);
    this.recDumpTime = grow(this.recDumpTime, 2 * next);
    this.recTime = grow(this.recTime, 2 * next);
    this.recCapacity = next;
  }

  private growAttrs(): void {
    const next = 2 * this.attrCapacity;
    this.attrPath = grow(this.attrPath, next);
    this.attrOrigin = grow(this.attrOrigin, next);
    this.attrMed = grow(this.attrMed, next);
    this.attrMedValid = grow(this.attrMedValid, next);
    this.attrLocalPref = grow(this.attrLocalPref, next);
    this.attrLocalPrefValid = grow(this.attrLocalPrefValid, next);
    this.attrAtomic = grow(this.attrAtomic, next);
    this.attrAggAsn = grow(this.attrAggAsn, next);
    this.attrAggValid = grow(this.attrAggValid, next);
    this.attrAggAddress = grow(this.attrAggAddress, next);
    this.attrOtc = grow(this.attrOtc, next);
    this.attrOtcValid = grow(this.attrOtcValid, next);
    this.attrCapacity = next;
  }

  /** The record's entry (a new one unless it is the record appended last). */
  private recordIndex(record: BgpRecord): number {
    if (record === this.lastRecord) return this.recCount - 1;
    if (this.recCount === this.recCapacity) this.growRecords();
    const k = this.recCount++;
    this.recProject[k] = this.dProject.index(record.project);
    this.recCollector[k] = this.dCollector.index(record.collector);
    this.recRouter[k] = record.router === '' ? -1 : this.dRouter.index(record.router);
    this.recRouterIp[k] = record.routerIp === null ? -1 : this.routerIps.indexOf(record.routerIp);
    this.recType[k] = this.dRecordType.index(record.type);
    this.recStatus[k] = this.dStatus.index(record.status);
    this.recDumpPosition[k] = this.dDumpPosition.index(record.dumpPosition);
    setTime(this.recDumpTime, k, record.dumpTime * 1e6);
    setTime(this.recTime, k, record.timeSec * 1e6 + record.timeUsec);
    this.lastRecord = record;
    return k;
  }

  /** Appends elems `start` to `end` (default: all) of `record`. */
  append(record: BgpRecord, start = 0, end = record.elems.length): void {
    if (start >= end) return;
    const rec = this.recordIndex(record);
    const elems = record.elems;
    for (let i = start; i < end; i++) {
      if (this.rows === this.capacity) this.growRows();
      const row = this.rows++;
      this.rowRec[row] = rec;
      this.appendElem(row, elems[i]);
    }
  }

  private appendElem(row: number, e: Elem): void {
    this.rowElemType[row] = this.dElemType.index(e.type);
    this.rowPeerAsn[row] = e.peerAsn;
    this.rowPeer[row] = e.peerAddress === null ? -1 : this.peers.indexOf(e.peerAddress);
    this.appendPrefix(row, e.prefix);
    this.rowNextHop[row] = e.nextHop === null ? -1 : this.nextHops.indexOf(e.nextHop);
    if (e.pathId === null) {
      this.rowPathIdValid[row] = 0;
      this.rowPathId[row] = 0;
    } else {
      this.rowPathIdValid[row] = 1;
      this.rowPathId[row] = e.pathId;
    }
    if (e.type === 'R') {
      this.rowIsRib[row] = 1;
      setTime(this.rowOrigTime, row, e.origTimeSec * 1e6);
    } else {
      this.rowIsRib[row] = 0;
      this.rowOrigTime[2 * row] = 0;
      this.rowOrigTime[2 * row + 1] = 0;
    }
    if (e.type === 'S') {
      this.rowOldState[row] = this.dOldState.index(stateName(e.oldState));
      this.rowNewState[row] = this.dNewState.index(stateName(e.newState));
    } else {
      this.rowOldState[row] = -1;
      this.rowNewState[row] = -1;
    }
    const attrs = e.attributes;
    if (attrs === null) this.rowAttr[row] = -1;
    else if (attrs === this.lastAttrs) this.rowAttr[row] = this.lastAttrIndex;
    else this.rowAttr[row] = this.addAttributes(attrs);
  }

  private appendPrefix(row: number, p: Elem['prefix']): void {
    const start = this.prefixOffsets[row];
    const q = 4 * row;
    const w = this.rowNetwork;
    if (p === null) {
      this.hasPrefix[row] = 0;
      this.rowFamily[row] = 0;
      this.rowLength[row] = 0;
      w[q] = w[q + 1] = w[q + 2] = w[q + 3] = 0;
      this.prefixOffsets[row + 1] = start;
      this.lastPrefix = null;
      return;
    }
    this.hasPrefix[row] = 1;
    const a = p.address;
    this.rowFamily[row] = a.family;
    this.rowLength[row] = p.length;
    if (a.family === 4) {
      w[q] = 0;
      w[q + 1] = 0;
      w[q + 2] = 0xffff;
      w[q + 3] = a.w0;
    } else {
      w[q] = a.w0;
      w[q + 1] = a.w1;
      w[q + 2] = a.w2;
      w[q + 3] = a.w3;
    }
    // The text: copied when the row before had the same prefix object (a RIB record's entries),
    // written from the IPv4 word without making a string, the model's text for IPv6.
    let b = this.prefixBytes;
    let end: number;
    if (p === this.lastPrefix && row > 0) {
      const s = this.prefixOffsets[row - 1];
      const len = start - s;
      if (start + len > b.length) b = this.growPrefixBytes(start + len);
      for (let k = 0; k < len; k++) b[start + k] = b[s + k];
      end = start + len;
    } else if (a.family === 4) {
      if (start + 19 > b.length) b = this.growPrefixBytes(start + 19);
      end = writeSlashLength(b, writeV4Text(b, start, a.w0), p.length);
    } else {
      const s = p.toString();
      if (start + 3 * s.length > b.length) b = this.growPrefixBytes(start + 3 * s.length);
      end = writeUtf8(b, start, s);
    }
    this.lastPrefix = p;
    this.prefixOffsets[row + 1] = end;
  }

  private growPrefixBytes(need: number): Buffer {
    const next = Buffer.allocUnsafe(Math.max(2 * this.prefixBytes.length, need));
    this.prefixBytes.copy(next, 0, 0, this.prefixOffsets[this.rows - 1]);
    this.prefixBytes = next;
    return next;
  }

  /** A message table entry for `attrs`: its columns, computed once for all the message's elems. */
  private addAttributes(attrs: PathAttributes): number {
    if (this.attrCount === this.attrCapacity) this.growAttrs();
    const k = this.attrCount++;
    const path = attrs.asPath;
    if (path !== this.lastPath) {
      this.lastPath = path;
      const t = this.asPathText;
      const p = t.begin(asPathTextBound(path.segments)); // may replace `bytes`
      const end = writeAsPathText(t.bytes, p, path.segments);
      this.lastPathIndex = end >= 0 ? t.commit(end) : t.add(path.toString());
    }
    this.attrPath[k] = this.lastPathIndex;

    // AS path, flattened, with the segment type of each ASN.
    const segs = path.segments;
    let count = 0;
    for (let s = 0; s < segs.length; s++) count += segs[s].asns.length;
    const asns = this.asPathAsns.reserve(count);
    const types = this.asPathTypes.reserve(count);
    let fa = this.asPathAsns.fill;
    let ft = this.asPathTypes.fill;
    for (let s = 0; s < segs.length; s++) {
      const seg = segs[s];
      for (let j = 0; j < seg.asns.length; j++) {
        asns[fa++] = seg.asns[j];
        types[ft++] = seg.type;
      }
    }
    this.asPathAsns.fill = fa;
    this.asPathTypes.fill = ft;
    this.asPathAsns.commit();
    this.asPathTypes.commit();

    const originSeg = path.originSegment;
    this.originAsns.addNumbers(originSeg ? originSeg.asns : []);
    this.communities.addNumbers(attrs.communities);
    this.largeCommunities.addNumbers(attrs.largeCommunities);
    const ext = attrs.extendedCommunities;
    const eb = this.extendedCommunities.reserve(8 * ext.length);
    let fe = this.extendedCommunities.fill;
    for (let j = 0; j < ext.length; j++) {
      const x = ext[j];
      for (let b = 0; b < 8; b++) eb[fe++] = x[b];
    }
    this.extendedCommunities.fill = fe;
    this.extendedCommunities.commit();

    this.attrOrigin[k] =
      attrs.origin >= 0 ? this.dOrigin.index(ORIGIN_NAMES[attrs.origin] ?? String(attrs.origin)) : -1;
    this.attrMedValid[k] = attrs.med === null ? 0 : 1;
    this.attrMed[k] = attrs.med ?? 0;
    this.attrLocalPrefValid[k] = attrs.localPref === null ? 0 : 1;
    this.attrLocalPref[k] = attrs.localPref ?? 0;
    this.attrAtomic[k] = attrs.atomicAggregate ? 1 : 0;
    const agg = attrs.aggregator;
    this.attrAggValid[k] = agg === null ? 0 : 1;
    this.attrAggAsn[k] = agg === null ? 0 : agg.asn;
    this.attrAggAddress[k] = agg === null ? -1 : this.aggregatorAddresses.indexOf(agg.address);
    this.attrOtcValid[k] = attrs.onlyToCustomer === null ? 0 : 1;
    this.attrOtc[k] = attrs.onlyToCustomer ?? 0;
    this.lastAttrs = attrs;
    this.lastAttrIndex = k;
    return k;
  }

  /**
   * The row order that sorts the buffered rows by `record_time`, then `prefix_family` (S rows, which
   * have none, first), `prefix_network`, `prefix_length`, then arrival: every prefix's events keep
   * their order. Records mostly arrive in time order: then only each run of rows with one time is
   * sorted by prefix; otherwise one stable radix sort on all the keys.
   */
  sortOrder(): Uint32Array {
    const n = this.rows;
    const t = this.recTime;
    const rec = this.rowRec;
    let inTimeOrder = true;
    for (let i = 1; i < n && inTimeOrder; i++) {
      const a = rec[i - 1];
      const b = rec[i];
      if (a !== b) {
        const dh = t[2 * b + 1] - t[2 * a + 1];
        inTimeOrder = dh > 0 || (dh === 0 && t[2 * b] >= t[2 * a]);
      }
    }
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    if (!inTimeOrder) {
      const hi = new Uint32Array(n);
      const lo = new Uint32Array(n);
      for (let i = 0; i < n; i++) {
        const k = rec[i];
        lo[i] = t[2 * k];
        hi[i] = t[2 * k + 1];
      }
      this.sortRunByPrefix(order, 0, n, [hi, lo]);
      return order;
    }
    let start = 0;
    while (start < n) {
      let end = start + 1;
      const k = rec[start];
      while (end < n) {
        const j = rec[end];
        if (j !== k && (t[2 * j] !== t[2 * k] || t[2 * j + 1] !== t[2 * k + 1])) break;
        end++;
      }
      if (end - start > 1) this.sortRunByPrefix(order, start, end, []);
      start = end;
    }
    return order;
  }

  /**
   * Sorts `order[start, end)` (rows in arrival order) by the `first` keys (indexed like the run),
   * then prefix family, network and length; stable.
   */
  private sortRunByPrefix(order: Uint32Array, start: number, end: number, first: Uint32Array[]): void {
    const m = end - start;
    const fam = this.rowFamily;
    const w = this.rowNetwork;
    const len = this.rowLength;
    if (first.length === 0 && m <= 16) {
      // Insertion sort: q moves past r only when its key is greater (equal keys keep arrival order).
      for (let i = start + 1; i < end; i++) {
        const r = order[i];
        let j = i - 1;
        for (; j >= start; j--) {
          const q = order[j];
          let d = fam[q] - fam[r];
          if (d === 0) d = w[4 * q] - w[4 * r];
          if (d === 0) d = w[4 * q + 1] - w[4 * r + 1];
          if (d === 0) d = w[4 * q + 2] - w[4 * r + 2];
          if (d === 0) d = w[4 * q + 3] - w[4 * r + 3];
          if (d === 0) d = len[q] - len[r];
          if (d <= 0) break;
          order[j + 1] = q;
        }
        order[j + 1] = r;
      }
      return;
    }
    let v6 = false;
    for (let i = start; i < end && !v6; i++) v6 = fam[order[i]] === 6;
    const rows = order.slice(start, end);
    if (first.length === 0 && !v6 && m <= 4096) {
      // IPv4 (or no prefix): family, address and length, then the arrival index, packed exactly in
      // a double (41 + 12 bits), sorted natively.
      const keys = new Float64Array(m);
      for (let i = 0; i < m; i++) {
        const r = rows[i];
        keys[i] = ((fam[r] === 4 ? 2 ** 40 : 0) + w[4 * r + 3] * 256 + len[r]) * 4096 + i;
      }
      keys.sort();
      for (let i = 0; i < m; i++) order[start + i] = rows[keys[i] % 4096];
      return;
    }
    const words = [new Uint32Array(m), new Uint32Array(m), new Uint32Array(m), new Uint32Array(m)];
    const family = new Uint32Array(m);
    const length = new Uint32Array(m);
    for (let i = 0; i < m; i++) {
      const r = rows[i];
      family[i] = fam[r];
      length[i] = len[r];
      words[0][i] = w[4 * r];
      words[1][i] = w[4 * r + 1];
      words[2][i] = w[4 * r + 2];
      words[3][i] = w[4 * r + 3];
    }
    const sorted = radixSort(
      m,
      [...first, family, ...words, length],
      [...first.map(() => 32), 8, 32, 32, 32, 32, 8],
    );
    for (let i = 0; i < m; i++) order[start + i] = rows[sorted[i]];
  }

  /**
   * The buffered rows as a record batch (in `order`, a permutation of `0..length-1`, when given) and
   * a fresh start. With stable dictionaries, later batches extend this one's dictionaries.
   */
  finish(order: Uint32Array | null = null): RecordBatch {
    if (order && order.length !== this.rows) {
      throw new Error(`order has ${order.length} rows, the builder ${this.rows}`);
    }
    const batch = this.emit(order);
    this.reset();
    return batch;
  }

  /**
   * Buffered rows as a record batch without resetting: the rows `rows` lists (indices below
   * `length`, e.g. a slice of `sortOrder()`), or all in arrival order. Batches emitted before the
   * next `reset()` share their dictionaries, so one part can go out as several batches.
   */
  emit(rows: Uint32Array | null = null): RecordBatch {
    const n = rows ? rows.length : this.rows;
    if (rows) {
      for (let i = 0; i < n; i++) {
        if (rows[i] >= this.rows) throw new RangeError(`row ${rows[i]} not buffered (${this.rows} are)`);
      }
    }
    const alloc = this.memory ? this.memory.next() : freshArrays;
    let row: Int32Array;
    if (rows) row = new Int32Array(rows.buffer, rows.byteOffset, n);
    else {
      row = alloc.i32(n);
      for (let i = 0; i < n; i++) row[i] = i;
    }
    const ctx: EmitContext = {
      n,
      rows,
      row,
      rec: pick(this.rowRec, row, n, alloc.i32(n)),
      attr: pick(this.rowAttr, row, n, alloc.i32(n)),
      scratch: alloc.i32(n),
      alloc,
      type: null as unknown as DataType,
    };
    const children = this.emitters.map((emit) => emit(ctx));
    const data = makeData({
      type: new Struct(this.schema.fields),
      length: n,
      nullCount: 0,
      children,
    });
    return new RecordBatch(this.schema, data);
  }

  private prefixData(c: EmitContext): Data {
    const n = c.n;
    const valueOffsets = c.alloc.i32(n + 1);
    const bitmap = c.alloc.u8((n + 7) >> 3);
    const off = this.prefixOffsets;
    const has = this.hasPrefix;
    let total = 0;
    let nulls = 0;
    for (let i = 0; i < n; i++) {
      const r = c.row[i];
      if (has[r] === 0) nulls++;
      else {
        total += off[r + 1] - off[r];
        bitmap[i >> 3] |= 1 << (i & 7);
      }
      valueOffsets[i + 1] = total;
    }
    const data = c.alloc.u8(total);
    const src = this.prefixBytes;
    if (c.rows === null) data.set(src.subarray(0, total));
    else {
      for (let i = 0; i < n; i++) {
        const r = c.row[i];
        let s = off[r];
        const e = off[r + 1];
        let p = valueOffsets[i];
        while (s < e) data[p++] = src[s++];
      }
    }
    return makeData({ type: c.type, length: n, ...validity(bitmap, nulls), valueOffsets, data } as never);
  }

  private networkData(c: EmitContext): Data {
    const n = c.n;
    const out = c.alloc.u8(16 * n);
    // Big-endian bytes through a (little-endian) word view: one byte swap per word.
    const o32 = new Uint32Array(out.buffer, out.byteOffset, 4 * n);
    const bitmap = c.alloc.u8((n + 7) >> 3);
    const w = this.rowNetwork;
    const has = this.hasPrefix;
    let nulls = 0;
    for (let i = 0, q = 0; i < n; i++, q += 4) {
      const r = c.row[i];
      if (has[r] === 0) {
        nulls++;
        continue;
      }
      bitmap[i >> 3] |= 1 << (i & 7);
      const s = 4 * r;
      for (let k = 0; k < 4; k++) {
        const x = w[s + k];
        o32[q + k] = ((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
      }
    }
    return makeData({ type: c.type, length: n, ...validity(bitmap, nulls), data: out } as never);
  }

  private atomicData(c: EmitContext): Data {
    const n = c.n;
    const bits = c.alloc.u8((n + 7) >> 3);
    const bitmap = c.alloc.u8((n + 7) >> 3);
    const v = this.attrAtomic;
    let nulls = 0;
    for (let i = 0; i < n; i++) {
      const k = c.attr[i];
      if (k < 0) nulls++;
      else {
        bitmap[i >> 3] |= 1 << (i & 7);
        if (v[k]) bits[i >> 3] |= 1 << (i & 7);
      }
    }
    return makeData({ type: c.type, length: n, ...validity(bitmap, nulls), data: bits } as never);
  }

  /** Drops the buffered rows (and, unless stable, the dictionaries). */
  reset(): void {
    this.rows = 0;
    this.recCount = 0;
    this.lastRecord = null;
    this.attrCount = 0;
    this.lastAttrs = null;
    this.lastAttrIndex = -1;
    this.lastPath = null;
    this.lastPathIndex = -1;
    this.lastPrefix = null;
    for (const t of [
      this.routerIps,
      this.asPathText,
      this.asPathAsns,
      this.asPathTypes,
      this.originAsns,
      this.communities,
      this.largeCommunities,
      this.extendedCommunities,
      this.aggregatorAddresses,
      this.peers,
      this.nextHops,
    ])
      t.clear();
    for (const d of [
      this.dProject,
      this.dCollector,
      this.dRouter,
      this.dRecordType,
      this.dStatus,
      this.dDumpPosition,
      this.dElemType,
      this.dOrigin,
      this.dOldState,
      this.dNewState,
    ])
      d.clear();
  }
}

/** What the column emitters of one batch share. */
interface EmitContext {
  n: number;
  /** The rows asked for, or null: all, in arrival order. */
  rows: Order;
  /** The buffered row of each output row. */
  row: Int32Array;
  /** The record table entry of each output row. */
  rec: Int32Array;
  /** The message table entry of each output row (-1: no attributes). */
  attr: Int32Array;
  /** The column's type (set before each emitter runs). */
  type: DataType;
  /** Room for one column's indexes (each emitter uses it up before the next runs). */
  scratch: Int32Array;
  /** Where the column arrays come from. */
  alloc: Alloc;
}

function communitiesChild(flat: Uint32Array, items: number, alloc: Alloc): Data {
  const [asnType, valueType] = structChildren('communities');
  const asn = alloc.u16(items);
  const value = alloc.u16(items);
  for (let i = 0; i < items; i++) {
    asn[i] = flat[i] >>> 16;
    value[i] = flat[i] & 0xffff;
  }
  return makeData({
    type: childType('communities') as Struct<TypeMap>,
    length: items,
    nullCount: 0,
    children: [uintData(asnType, asn), uintData(valueType, value)],
  });
}

function largeCommunitiesChild(flat: Uint32Array, items: number, alloc: Alloc): Data {
  const types = structChildren('large_communities');
  const parts = [alloc.u32(items), alloc.u32(items), alloc.u32(items)];
  for (let i = 0; i < items; i++) {
    parts[0][i] = flat[3 * i];
    parts[1][i] = flat[3 * i + 1];
    parts[2][i] = flat[3 * i + 2];
  }
  return makeData({
    type: childType('large_communities') as Struct<TypeMap>,
    length: items,
    nullCount: 0,
    children: parts.map((p, k) => uintData(types[k], p)),
  });
}
