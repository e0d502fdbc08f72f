import type { BgpRecord, Elem, PathAttributes } from '@bgpstream-ts/core';
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
  Address16Column,
  BoolColumn,
  DictColumn,
  ListColumn,
  type Order,
  StringColumn,
  splitTime,
  TimeColumn,
  UintColumn,
} from './column-buffers.js';

type U32 = Uint32Array<ArrayBuffer>;
type U8 = Uint8Array<ArrayBuffer>;

const ORIGIN_NAMES = ['IGP', 'EGP', 'INCOMPLETE'];

/** BGPStream's state name, or the decimal code when it has none. */
function stateName(code: number): string {
  return code >= 1 && code < PEER_STATES.length ? PEER_STATES[code] : String(code);
}

const u8 = (n: number) => new Uint8Array(n);
const u32 = (n: number) => new Uint32Array(n);

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

export interface ElemBatchBuilderOptions {
  /** Rows to allocate for at first (buffers grow as needed). Default 1024. */
  initialCapacity?: number;
  /**
   * Keep dictionaries across batches (each batch's dictionary extends the previous one, sent as
   * deltas in IPC). Default true; false gives each batch a dictionary of its own values only.
   */
  stableDictionaries?: boolean;
}

/**
 * Collects elems as columns in typed arrays and emits them as Arrow record batches of the elem
 * schema (`@bgpstream-ts/schemas`). Text comes from the model's cached `toString()`; nothing is
 * parsed back from text. Memory is the rows appended since the last `finish()`.
 */
export class ElemBatchBuilder {
  readonly schema: Schema = elemArrowSchema();
  private rows = 0;
  private capacity: number;
  private readonly stable: boolean;

  // record
  private readonly project: DictColumn;
  private readonly collector: DictColumn;
  private readonly router: DictColumn;
  private readonly routerIp: StringColumn;
  private readonly recordType: DictColumn;
  private readonly dumpTime: TimeColumn;
  private readonly recordTime: TimeColumn;
  private readonly status: DictColumn;
  private readonly dumpPosition: DictColumn;
  // elem
  private readonly elemType: DictColumn;
  private readonly peerAsn: UintColumn<U32>;
  private readonly peerAddress: StringColumn;
  private readonly prefix: StringColumn;
  private readonly prefixFamily: UintColumn<U8>;
  private readonly prefixLength: UintColumn<U8>;
  private readonly prefixNetwork: Address16Column;
  private readonly nextHop: StringColumn;
  private readonly asPath: StringColumn;
  private readonly asPathAsns: ListColumn<U32>;
  private readonly asPathSegmentTypes: ListColumn<U8>;
  private readonly originAsns: ListColumn<U32>;
  private readonly communities: ListColumn<U32>;
  private readonly largeCommunities: ListColumn<U32>;
  private readonly extendedCommunities: ListColumn<U8>;
  private readonly origin: DictColumn;
  private readonly med: UintColumn<U32>;
  private readonly localPref: UintColumn<U32>;
  private readonly atomicAggregate: BoolColumn;
  private readonly aggregatorAsn: UintColumn<U32>;
  private readonly aggregatorAddress: StringColumn;
  private readonly onlyToCustomer: UintColumn<U32>;
  private readonly pathId: UintColumn<U32>;
  private readonly origTime: TimeColumn;
  private readonly oldState: DictColumn;
  private readonly newState: DictColumn;

  /** Columns in schema order, each with how to emit it. */
  private readonly emitters: ((n: number, order: Order) => Data)[];
  private readonly all: {
    growRows(c: number): void;
    bytesPerRow(): number;
    clear?(): void;
    byteLength?: number;
  }[];

  // The previous row's attributes: the elems of one message share them, and their columns repeat.
  private lastAttrs: PathAttributes | null = null;

  constructor(options: ElemBatchBuilderOptions = {}) {
    const cap = Math.max(16, options.initialCapacity ?? 1024);
    this.capacity = cap;
    this.stable = options.stableDictionaries ?? true;
    const dict = (nullable: boolean) => new DictColumn(cap, nullable, this.stable);
    this.project = dict(false);
    this.collector = dict(false);
    this.router = dict(true);
    this.routerIp = new StringColumn(cap, true, 64);
    this.recordType = dict(false);
    this.dumpTime = new TimeColumn(cap, false);
    this.recordTime = new TimeColumn(cap, false);
    this.status = dict(false);
    this.dumpPosition = dict(false);
    this.elemType = dict(false);
    this.peerAsn = new UintColumn(u32, cap, false);
    this.peerAddress = new StringColumn(cap, true, 16 * cap);
    this.prefix = new StringColumn(cap, true, 16 * cap);
    this.prefixFamily = new UintColumn(u8, cap, true);
    this.prefixLength = new UintColumn(u8, cap, true);
    this.prefixNetwork = new Address16Column(cap, true);
    this.nextHop = new StringColumn(cap, true, 16 * cap);
    this.asPath = new StringColumn(cap, true, 32 * cap);
    this.asPathAsns = new ListColumn(cap, true, u32, 1, (flat) => uintData(childType('as_path_asns'), flat));
    this.asPathSegmentTypes = new ListColumn(cap, true, u8, 1, (flat) =>
      uintData(childType('as_path_segment_types'), flat),
    );
    this.originAsns = new ListColumn(cap, true, u32, 1, (flat) => uintData(childType('origin_asns'), flat));
    this.communities = new ListColumn(cap, true, u32, 1, (flat, items) => {
      const [asnType, valueType] = structChildren('communities');
      const asn = new Uint16Array(items);
      const value = new Uint16Array(items);
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
    });
    this.largeCommunities = new ListColumn(cap, true, u32, 3, (flat, items) => {
      const types = structChildren('large_communities');
      const parts = [new Uint32Array(items), new Uint32Array(items), new Uint32Array(items)];
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
    });
    this.extendedCommunities = new ListColumn(cap, true, u8, 8, (flat, items) =>
      makeData({ type: childType('extended_communities'), length: items, nullCount: 0, data: flat } as never),
    );
    this.origin = dict(true);
    this.med = new UintColumn(u32, cap, true);
    this.localPref = new UintColumn(u32, cap, true);
    this.atomicAggregate = new BoolColumn(cap, true);
    this.aggregatorAsn = new UintColumn(u32, cap, true);
    this.aggregatorAddress = new StringColumn(cap, true, 64);
    this.onlyToCustomer = new UintColumn(u32, cap, true);
    this.pathId = new UintColumn(u32, cap, true);
    this.origTime = new TimeColumn(cap, true);
    this.oldState = dict(true);
    this.newState = dict(true);

    const byName: Record<string, { data(type: never, n: number, order: Order): Data }> = {
      project: this.project,
      collector: this.collector,
      router: this.router,
      router_ip: this.routerIp,
      record_type: this.recordType,
      dump_time: this.dumpTime,
      record_time: this.recordTime,
      status: this.status,
      dump_position: this.dumpPosition,
      elem_type: this.elemType,
      peer_asn: this.peerAsn,
      peer_address: this.peerAddress,
      prefix: this.prefix,
      prefix_family: this.prefixFamily,
      prefix_length: this.prefixLength,
      prefix_network: this.prefixNetwork,
      next_hop: this.nextHop,
      as_path: this.asPath,
      as_path_asns: this.asPathAsns,
      as_path_segment_types: this.asPathSegmentTypes,
      origin_asns: this.originAsns,
      communities: this.communities,
      large_communities: this.largeCommunities,
      extended_communities: this.extendedCommunities,
      origin: this.origin,
      med: this.med,
      local_pref: this.localPref,
      atomic_aggregate: this.atomicAggregate,
      aggregator_asn: this.aggregatorAsn,
      aggregator_address: this.aggregatorAddress,
      only_to_customer: this.onlyToCustomer,
      path_id: this.pathId,
      orig_time: this.origTime,
      old_state: this.oldState,
      new_state: this.newState,
    };
    this.emitters = this.schema.fields.map((f) => {
      const col = byName[f.name];
      if (!col) throw new Error(`ElemBatchBuilder has no buffer for column '${f.name}'`);
      return (n: number, order: Order) => col.data(f.type as never, n, order);
    });
    this.all = Object.values(byName) as unknown as typeof this.all;
  }

  /** Rows appended since the last `finish()`. */
  get length(): number {
    return this.rows;
  }

  /** Approximate bytes held by the buffers (allocated, not only used). */
  get byteLength(): number {
    let perRow = 0;
    let extra = 0;
    for (const c of this.all) {
      perRow += c.bytesPerRow();
      if (c instanceof StringColumn) extra += c.bytes.length;
      else if (c instanceof ListColumn) extra += c.child.byteLength;
    }
    return perRow * this.capacity + extra;
  }

  private growRows(): void {
    const next = 2 * this.capacity;
    for (const c of this.all) c.growRows(next);
    this.capacity = next;
  }

  /** Appends elems `start` to `end` (default: all) of `record`. */
  append(record: BgpRecord, start = 0, end = record.elems.length): void {
    if (start >= end) return;
    // Record-level values, once per record.
    const project = this.project.index(record.project);
    const collector = this.collector.index(record.collector);
    const router = record.router === '' ? -1 : this.router.index(record.router);
    const routerIp = record.routerIp === null ? null : record.routerIp.toString();
    const recordType = this.recordType.index(record.type);
    const status = this.status.index(record.status);
    const dumpPosition = this.dumpPosition.index(record.dumpPosition);
    const [dumpLo, dumpHi] = splitTime(record.dumpTime * 1e6);
    const [timeLo, timeHi] = splitTime(record.timeSec * 1e6 + record.timeUsec);
    const elems = record.elems;
    for (let i = start; i < end; i++) {
      if (this.rows === this.capacity) this.growRows();
      const row = this.rows++;
      this.project.indices[row] = project;
      this.collector.indices[row] = collector;
      if (router < 0) this.router.set(row, null);
      else {
        this.router.indices[row] = router;
        this.router.valid![row] = 1;
      }
      this.routerIp.set(row, routerIp);
      this.recordType.indices[row] = recordType;
      this.dumpTime.set(row, dumpLo, dumpHi);
      this.recordTime.set(row, timeLo, timeHi);
      this.status.indices[row] = status;
      this.dumpPosition.indices[row] = dumpPosition;
      this.appendElem(row, elems[i]);
    }
  }

  private appendElem(row: number, e: Elem): void {
    this.elemType.indices[row] = this.elemType.index(e.type);
    this.peerAsn.values[row] = e.peerAsn;
    this.peerAddress.set(row, e.peerAddress === null ? null : e.peerAddress.toString());

    const p = e.prefix;
    if (p === null) {
      this.prefix.set(row, null);
      this.prefixFamily.valid![row] = 0;
      this.prefixFamily.values[row] = 0;
      this.prefixLength.valid![row] = 0;
      this.prefixLength.values[row] = 0;
      this.prefixNetwork.valid![row] = 0;
      const w = this.prefixNetwork.words;
      w[4 * row] = w[4 * row + 1] = w[4 * row + 2] = w[4 * row + 3] = 0;
    } else {
      this.prefix.set(row, p.toString());
      const a = p.address;
      this.prefixFamily.valid![row] = 1;
      this.prefixFamily.values[row] = a.family;
      this.prefixLength.valid![row] = 1;
      this.prefixLength.values[row] = p.length;
      this.prefixNetwork.valid![row] = 1;
      const w = this.prefixNetwork.words;
      const q = 4 * row;
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
    }

    this.nextHop.set(row, e.nextHop === null ? null : e.nextHop.toString());
    this.pathId.valid![row] = e.pathId === null ? 0 : 1;
    this.pathId.values[row] = e.pathId ?? 0;
    if (e.type === 'R') {
      this.origTime.valid![row] = 1;
      const [lo, hi] = splitTime(e.origTimeSec * 1e6);
      this.origTime.set(row, lo, hi);
    } else {
      this.origTime.valid![row] = 0;
    }
    if (e.type === 'S') {
      this.oldState.set(row, stateName(e.oldState));
      this.newState.set(row, stateName(e.newState));
    } else {
      this.oldState.set(row, null);
      this.newState.set(row, null);
    }
    this.appendAttributes(row, e.attributes);
  }

  private appendAttributes(row: number, attrs: PathAttributes | null): void {
    if (attrs === null) {
      this.lastAttrs = null;
      this.asPath.set(row, null);
      this.asPathAsns.setNull(row);
      this.asPathSegmentTypes.setNull(row);
      this.originAsns.setNull(row);
      this.communities.setNull(row);
      this.largeCommunities.setNull(row);
      this.extendedCommunities.setNull(row);
      this.origin.set(row, null);
      this.med.valid![row] = 0;
      this.localPref.valid![row] = 0;
      this.atomicAggregate.valid![row] = 0;
      this.aggregatorAsn.valid![row] = 0;
      this.aggregatorAddress.set(row, null);
      this.onlyToCustomer.valid![row] = 0;
      return;
    }
    const path = attrs.asPath;
    this.asPath.set(row, path.toString());
    if (attrs === this.lastAttrs && row > 0) {
      this.asPathAsns.repeat(row);
      this.asPathSegmentTypes.repeat(row);
      this.originAsns.repeat(row);
      this.communities.repeat(row);
      this.largeCommunities.repeat(row);
      this.extendedCommunities.repeat(row);
    } else {
      this.lastAttrs = attrs;
      // AS path, flattened, with the segment type of each ASN.
      const segs = path.segments;
      let count = 0;
      for (let s = 0; s < segs.length; s++) count += segs[s].asns.length;
      const asns = this.asPathAsns.reserve(count);
      const types = this.asPathSegmentTypes.reserve(count);
      let fa = this.asPathAsns.fill;
      let ft = this.asPathSegmentTypes.fill;
      for (let s = 0; s < segs.length; s++) {
        const seg = segs[s];
        for (let k = 0; k < seg.asns.length; k++) {
          asns[fa++] = seg.asns[k];
          types[ft++] = seg.type;
        }
      }
      this.asPathAsns.fill = fa;
      this.asPathSegmentTypes.fill = ft;
      this.asPathAsns.end(row);
      this.asPathSegmentTypes.end(row);

      const originSeg = path.originSegment;
      const oa = originSeg ? originSeg.asns : [];
      const orig = this.originAsns.reserve(oa.length);
      let fo = this.originAsns.fill;
      for (let k = 0; k < oa.length; k++) orig[fo++] = oa[k];
      this.originAsns.fill = fo;
      this.originAsns.end(row);

      this.copyNumbers(this.communities, attrs.communities, row);
      this.copyNumbers(this.largeCommunities, attrs.largeCommunities, row);

      const ext = attrs.extendedCommunities;
      const eb = this.extendedCommunities.reserve(8 * ext.length);
      let fe = this.extendedCommunities.fill;
      for (let k = 0; k < ext.length; k++) {
        eb.set(ext[k], fe);
        fe += 8;
      }
      this.extendedCommunities.fill = fe;
      this.extendedCommunities.end(row);
    }
    this.origin.set(row, attrs.origin >= 0 ? (ORIGIN_NAMES[attrs.origin] ?? String(attrs.origin)) : null);
    this.optionalU32(this.med, row, attrs.med);
    this.optionalU32(this.localPref, row, attrs.localPref);
    this.atomicAggregate.valid![row] = 1;
    this.atomicAggregate.values[row] = attrs.atomicAggregate ? 1 : 0;
    const agg = attrs.aggregator;
    this.optionalU32(this.aggregatorAsn, row, agg === null ? null : agg.asn);
    this.aggregatorAddress.set(row, agg === null ? null : agg.address.toString());
    this.optionalU32(this.onlyToCustomer, row, attrs.onlyToCustomer);
  }

  private copyNumbers(col: ListColumn<U32>, values: readonly number[], row: number): void {
    const out = col.reserve(values.length);
    let f = col.fill;
    for (let k = 0; k < values.length; k++) out[f++] = values[k];
    col.fill = f;
    col.end(row);
  }

  private optionalU32(col: UintColumn<U32>, row: number, value: number | null): void {
    if (value === null) {
      col.valid![row] = 0;
      col.values[row] = 0;
    } else {
      col.valid![row] = 1;
      col.values[row] = value;
    }
  }

  /**
   * The row order that sorts the buffered rows by `record_time`, then `prefix_family` (S rows, which
   * have none, first), `prefix_network`, `prefix_length`, then arrival: every prefix's events keep
   * their order.
   */
  sortOrder(): Uint32Array {
    const n = this.rows;
    const t = this.recordTime.words;
    const fam = this.prefixFamily.values;
    const w = this.prefixNetwork.words;
    const len = this.prefixLength.values;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => {
      const dh = t[2 * a + 1] - t[2 * b + 1];
      if (dh !== 0) return dh;
      const dl = t[2 * a] - t[2 * b];
      if (dl !== 0) return dl;
      const df = fam[a] - fam[b];
      if (df !== 0) return df;
      const qa = 4 * a;
      const qb = 4 * b;
      for (let k = 0; k < 4; k++) {
        const d = w[qa + k] - w[qb + k];
        if (d !== 0) return d;
      }
      return len[a] - len[b] || a - b;
    });
    return order;
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
    const children = this.emitters.map((emit) => emit(n, rows));
    const data = makeData({
      type: new Struct(this.schema.fields),
      length: n,
      nullCount: 0,
      children,
    });
    return new RecordBatch(this.schema, data);
  }

  /** Drops the buffered rows (and, unless stable, the dictionaries). */
  reset(): void {
    this.rows = 0;
    this.lastAttrs = null;
    for (const c of this.all) c.clear?.();
  }
}
