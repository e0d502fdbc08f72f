import { readU32 } from '../bgp/attributes/u32.js';
import { DecodeError } from '../bgp/decode-error.js';
import { DecodeOutput, type PeerFilter } from '../bgp/decode-output.js';
import type { Elem } from '../model/elem.js';
import { BgpRecord, type RecordSource, type RecordType } from '../model/record.js';
import {
  decodeMrtBody,
  MRT_HEADER_SIZE,
  type MrtFileState,
  type MrtHeader,
  readMrtHeader,
} from './decode-record.js';
import {
  MRT_BGP4MP_ET,
  MRT_TABLE_DUMP,
  MRT_TABLE_DUMP_V2,
  maxSubtype,
  TDV2_PEER_INDEX_TABLE,
} from './mrt-types.js';

/** No real MRT record comes near this; a header claiming more is garbage. */
const MAX_RECORD_LENGTH = 64 * 1024 * 1024;
/** A header whose time is further than this from the previous record's is not trusted while resynchronising. */
const MAX_TIME_JUMP = 366 * 86400;

export interface TimeInterval {
  begin: number;
  /** 0: open-ended. */
  end: number;
}

export interface MrtReaderOptions {
  /** Project, collector and dump time of the file; the record type is inferred per record when absent. */
  source?: Partial<RecordSource>;
  /** Keep each record's bytes in `record.raw` (a view, not a copy). Default true. */
  keepRaw?: boolean;
  /** Records before `begin` are skipped; the first after `end` ends the file with an `outside-time-interval` record. */
  interval?: TimeInterval;
  /** Peers whose elems are wanted: the decoder skips the others before decoding their attributes. */
  peerFilter?: PeerFilter;
  /** Called with the bytes of each PEER_INDEX_TABLE (a view: copy to keep), for readers that hand records on. */
  onPeerIndexTable?: (raw: Uint8Array) => void;
  /** Also give elems for multicast RIB records (TABLE_DUMP_V2 subtypes 3, 5, 9, 11), which BGPStream leaves empty. Default false. */
  multicast?: boolean;
}

export interface MrtReaderStats {
  /** Records handed out, whatever their status. */
  records: number;
  elems: number;
  corruptedRecords: number;
  /** Records skipped by the time interval. */
  filteredRecords: number;
  /** Records of types that hold no BGP routes (OSPF, IS-IS, BGP4MP_ENTRY...), by `type/subtype`. */
  skippedTypes: Map<string, number>;
  /** Bytes passed over while looking for the next MRT header after garbage. */
  bytesSkipped: number;
}

const EMPTY = new Uint8Array(0);

/**
 * Splits a byte stream into MRT records and decodes them. Records come out in
 * batches (one per input chunk) so that the hot path is a plain loop and not
 * one promise per record. Bad bytes never throw: they become
 * `corrupted-record` records and the reader looks for the next plausible
 * header.
 */
export class MrtReader {
  readonly stats: MrtReaderStats = {
    records: 0,
    elems: 0,
    corruptedRecords: 0,
    filteredRecords: 0,
    skippedTypes: new Map(),
    bytesSkipped: 0,
  };
  private readonly state: MrtFileState;
  private buf: Uint8Array = EMPTY;
  /** The reader's own array that `buf` views when bytes were carried over; free space past `buf`'s end. */
  private store: Uint8Array | null = null;
  private pos = 0;
  /** Stream offset of buf[0], for error messages. */
  private base = 0;
  private lastTime = -1;
  private inGarbage = false;
  private held: BgpRecord | null = null;
  private emittedAny = false;
  private filteredAny = false;
  private readAny = false;
  private stopped = false;
  private readonly project: string;
  private readonly collector: string;
  private readonly dumpTime: number;
  private readonly recordType: RecordType | undefined;
  private readonly keepRaw: boolean;
  private readonly peerFilter: PeerFilter | null;
  private readonly onPeerIndexTable: ((raw: Uint8Array) => void) | null;
  private readonly begin: number;
  private readonly end: number;

  constructor(options: MrtReaderOptions = {}) {
    this.project = options.source?.project ?? '';
    this.collector = options.source?.collector ?? '';
    this.dumpTime = options.source?.dumpTime ?? 0;
    this.recordType = options.source?.type;
    this.keepRaw = options.keepRaw ?? true;
    this.peerFilter = options.peerFilter ?? null;
    this.onPeerIndexTable = options.onPeerIndexTable ?? null;
    this.begin = options.interval?.begin ?? 0;
    this.end = options.interval?.end ?? 0;
    this.state = { peerIndex: null, multicast: options.multicast ?? false };
  }

  /** True once a record past the interval ended the file. */
  get done(): boolean {
    return this.stopped;
  }

  /** Decodes every record of `chunks`. Stops reading early when the interval ends. */
  async *batches(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<BgpRecord[]> {
    for await (const chunk of chunks) {
      const out = this.push(chunk);
      if (out.length > 0) yield out;
      if (this.stopped) break;
    }
    const last = this.finish();
    if (last.length > 0) yield last;
  }

  /** Feeds bytes; returns the records they completed. */
  push(chunk: Uint8Array): BgpRecord[] {
    const out: BgpRecord[] = [];
    if (this.stopped || chunk.length === 0) return out;
    this.readAny = true;
    if (this.pos >= this.buf.length) {
      this.base += this.buf.length;
      this.buf = chunk;
      this.store = null;
    } else {
      const rest = this.buf.subarray(this.pos);
      const need = rest.length + chunk.length;
      const restEnd = rest.byteOffset + rest.length;
      const store = this.store;
      if (store !== null && rest.buffer === store.buffer && restEnd + chunk.length <= store.length) {
        // Append in place: only bytes past the pending ones are written, so `raw` views handed out stay intact.
        store.set(chunk, restEnd);
        this.buf = store.subarray(rest.byteOffset, restEnd + chunk.length);
      } else {
        // Grow geometrically while one record spans many chunks (copying everything on each push is
        // quadratic), but not past the largest record accepted, plus the next header resync looks at.
        const joined = new Uint8Array(
          Math.max(need, Math.min(2 * rest.length, MAX_RECORD_LENGTH + 2 * MRT_HEADER_SIZE)),
        );
        joined.set(rest, 0);
        joined.set(chunk, rest.length);
        this.store = joined;
        this.buf = joined.subarray(0, need);
      }
      this.base += this.pos;
    }
    this.pos = 0;
    this.drain(false, out);
    return out;
  }

  /** Ends the stream: a partial record left over is a truncated (corrupted) one; the last record gets `end`. */
  finish(): BgpRecord[] {
    const out: BgpRecord[] = [];
    if (!this.stopped) this.drain(true, out);
    if (this.held) {
      if (!this.stopped) this.held.dumpPosition = 'end';
      this.release(out);
    } else if (!this.emittedAny && !this.stopped) {
      // Nothing to hand out: say why, as BGPStream does.
      const status = this.filteredAny ? 'filtered-source' : 'empty-source';
      const rec = this.makeRecord(this.dumpTime, 0, this.recordType ?? 'update', 0, 0, [], null);
      rec.status = status;
      rec.dumpPosition = 'end';
      out.push(rec);
      this.stats.records++;
    }
    this.stopped = true;
    return out;
  }

  /** A record for a failure outside the bytes (the source could not be read). */
  sourceFailure(message: string): BgpRecord[] {
    const out: BgpRecord[] = [];
    if (this.held) this.release(out);
    const rec = this.makeRecord(this.fallbackTime(), 0, this.recordType ?? 'update', 0, 0, [], null);
    rec.status = 'corrupted-source';
    rec.error = message;
    rec.dumpPosition = 'end';
    out.push(rec);
    this.stats.records++;
    this.stopped = true;
    return out;
  }

  /**
   * Decodes one complete MRT record (header included) on its own: no time
   * interval, no dump position, no resynchronisation. A PEER_INDEX_TABLE
   * updates the reader and gives null, as do types that hold no routes.
   * For records already framed elsewhere (a worker thread, a Kafka message).
   */
  decodeRecord(bytes: Uint8Array): BgpRecord | null {
    if (bytes.length < MRT_HEADER_SIZE) return this.corruptAlone('record shorter than an MRT header', bytes);
    const h = readMrtHeader(bytes, 0);
    if (MRT_HEADER_SIZE + h.length !== bytes.length) {
      return this.corruptAlone(
        `MRT header claims ${h.length} bytes, ${bytes.length - MRT_HEADER_SIZE} given`,
        bytes,
        h,
      );
    }
    const timeUsec = h.type === MRT_BGP4MP_ET && h.length >= 4 ? readU32(bytes, MRT_HEADER_SIZE) : 0;
    const decoded = new DecodeOutput(this.peerFilter);
    try {
      const outcome = decodeMrtBody(bytes, MRT_HEADER_SIZE, bytes.length, h, timeUsec, this.state, decoded);
      if (outcome !== 'record') return null;
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      return this.corruptAlone(err.message, bytes, h);
    }
    const rec = this.makeRecord(
      h.timeSec,
      timeUsec,
      this.typeOf(h),
      h.type,
      h.subtype,
      decoded.elems,
      this.keepRaw ? bytes : null,
    );
    if (decoded.problems) rec.error = decoded.problems.join('; ');
    return rec;
  }

  private corruptAlone(message: string, bytes: Uint8Array, h?: MrtHeader): BgpRecord {
    const rec = this.makeRecord(
      h?.timeSec ?? this.dumpTime,
      0,
      h ? this.typeOf(h) : (this.recordType ?? 'update'),
      h?.type ?? 0,
      h?.subtype ?? 0,
      [],
      this.keepRaw ? bytes : null,
    );
    rec.status = 'corrupted-record';
    rec.error = message;
    return rec;
  }

  get readAnyBytes(): boolean {
    return this.readAny;
  }

  private drain(eof: boolean, out: BgpRecord[]): void {
    const buf = this.buf;
    while (!this.stopped) {
      if (this.pos >= buf.length) return;
      if (this.inGarbage && !this.resync(eof)) return;
      if (buf.length - this.pos < MRT_HEADER_SIZE) {
        if (eof) this.truncated(out, `${buf.length - this.pos} bytes left, less than an MRT header`);
        return;
      }
      const p = this.pos;
      const h = readMrtHeader(buf, p);
      if (!this.plausible(h)) {
        this.corrupt(
          out,
          this.fallbackTime(),
          `no MRT header at byte ${this.base + p} (type ${h.type}, subtype ${h.subtype}, length ${h.length})`,
          null,
        );
        this.inGarbage = true;
        this.pos = p + 1;
        this.stats.bytesSkipped++;
        continue;
      }
      const total = MRT_HEADER_SIZE + h.length;
      if (p + total > buf.length) {
        if (!eof) return;
        // Either the file was cut inside this record or its length field is damaged: report it, then
        // look for records in the bytes that remain rather than give them up.
        this.corrupt(
          out,
          this.fallbackTime(),
          `truncated: record at byte ${this.base + p} claims ${h.length} bytes, ${buf.length - p - MRT_HEADER_SIZE} remain`,
          null,
        );
        this.inGarbage = true;
        this.pos = p + 1;
        this.stats.bytesSkipped++;
        continue;
      }
      this.pos = p + total;
      this.decodeOne(buf, p, h, out);
    }
  }

  private plausible(h: MrtHeader): boolean {
    const max = maxSubtype(h.type);
    if (max < 0 || h.subtype > max || h.length > MAX_RECORD_LENGTH) return false;
    if (h.type === MRT_BGP4MP_ET && h.length < 4) return false;
    return true;
  }

  /** Scans for the next header that is plausible, close in time, and followed by another plausible header (or the end). */
  private resync(eof: boolean): boolean {
    const buf = this.buf;
    for (let p = this.pos; p + MRT_HEADER_SIZE <= buf.length; p++) {
      const h = readMrtHeader(buf, p);
      if (!this.plausible(h)) continue;
      if (this.lastTime >= 0 && Math.abs(h.timeSec - this.lastTime) > MAX_TIME_JUMP) continue;
      const next = p + MRT_HEADER_SIZE + h.length;
      if (next + MRT_HEADER_SIZE <= buf.length) {
        const n = readMrtHeader(buf, next);
        if (!this.plausible(n) || Math.abs(n.timeSec - h.timeSec) > MAX_TIME_JUMP) continue;
      } else if (!eof) {
        // Cannot confirm yet: wait for more bytes from here.
        this.stats.bytesSkipped += p - this.pos;
        this.pos = p;
        return false;
      } else if (next > buf.length) {
        continue;
      }
      this.stats.bytesSkipped += p - this.pos;
      this.pos = p;
      this.inGarbage = false;
      return true;
    }
    // Keep the tail that could still start a header (at the end of the stream it is skipped too).
    const keep = eof ? buf.length : Math.max(this.pos, buf.length - MRT_HEADER_SIZE + 1);
    this.stats.bytesSkipped += keep - this.pos;
    this.pos = keep;
    return false;
  }

  private decodeOne(buf: Uint8Array, p: number, h: MrtHeader, out: BgpRecord[]): void {
    const isPeerIndex = h.type === MRT_TABLE_DUMP_V2 && h.subtype === TDV2_PEER_INDEX_TABLE;
    if (!isPeerIndex) {
      if (h.timeSec < this.begin) {
        this.filteredAny = true;
        this.stats.filteredRecords++;
        this.lastTime = h.timeSec;
        return;
      }
      if (this.end > 0 && h.timeSec > this.end) {
        if (this.held) this.release(out);
        const rec = this.makeRecord(h.timeSec, 0, this.typeOf(h), h.type, h.subtype, [], null);
        rec.status = 'outside-time-interval';
        rec.dumpPosition = this.emittedAny || this.filteredAny ? 'middle' : 'start';
        out.push(rec);
        this.stats.records++;
        this.stopped = true;
        return;
      }
    }
    const bodyStart = p + MRT_HEADER_SIZE;
    const bodyEnd = bodyStart + h.length;
    const timeUsec =
      h.type === MRT_BGP4MP_ET
        ? ((buf[bodyStart] << 24) |
            (buf[bodyStart + 1] << 16) |
            (buf[bodyStart + 2] << 8) |
            buf[bodyStart + 3]) >>>
          0
        : 0;
    const raw = this.keepRaw ? buf.subarray(p, bodyEnd) : null;
    const decoded = new DecodeOutput(this.peerFilter);
    try {
      const outcome = decodeMrtBody(buf, bodyStart, bodyEnd, h, timeUsec, this.state, decoded);
      this.lastTime = h.timeSec;
      if (outcome === 'peer-index') {
        this.onPeerIndexTable?.(buf.subarray(p, bodyEnd));
        return;
      }
      if (outcome === 'skipped') {
        const key = `${h.type}/${h.subtype}`;
        this.stats.skippedTypes.set(key, (this.stats.skippedTypes.get(key) ?? 0) + 1);
        return;
      }
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      // The time of a record that does not decode is not trusted to judge where records resume.
      this.corrupt(out, h.timeSec, err.message, raw, h);
      return;
    }
    const rec = this.makeRecord(h.timeSec, timeUsec, this.typeOf(h), h.type, h.subtype, decoded.elems, raw);
    // Problems that did not cost the record its elems (a truncated NLRI tail) stay visible.
    if (decoded.problems) rec.error = decoded.problems.join('; ');
    this.emit(rec, out);
  }

  private typeOf(h: MrtHeader): RecordType {
    if (this.recordType) return this.recordType;
    return h.type === MRT_TABLE_DUMP || h.type === MRT_TABLE_DUMP_V2 ? 'rib' : 'update';
  }

  private makeRecord(
    timeSec: number,
    timeUsec: number,
    type: RecordType,
    mrtType: number,
    mrtSubtype: number,
    elems: Elem[],
    raw: Uint8Array | null,
  ): BgpRecord {
    return new BgpRecord(
      this.project,
      this.collector,
      type,
      this.dumpTime,
      timeSec,
      timeUsec,
      'valid',
      mrtType,
      mrtSubtype,
      elems,
      raw,
    );
  }

  /** The time given to records whose own time cannot be trusted: the previous record's, else the dump time. */
  private fallbackTime(): number {
    return this.lastTime >= 0 ? this.lastTime : this.dumpTime;
  }

  private corrupt(
    out: BgpRecord[],
    timeSec: number,
    message: string,
    raw: Uint8Array | null,
    h?: MrtHeader,
  ): void {
    const rec = this.makeRecord(
      timeSec,
      0,
      h ? this.typeOf(h) : (this.recordType ?? 'update'),
      h?.type ?? 0,
      h?.subtype ?? 0,
      [],
      raw,
    );
    rec.status = 'corrupted-record';
    rec.error = message;
    this.stats.corruptedRecords++;
    this.emit(rec, out);
  }

  private truncated(out: BgpRecord[], message: string): void {
    this.corrupt(out, this.fallbackTime(), `truncated: ${message}`, null);
    this.pos = this.buf.length;
  }

  /** Holds one record back so that the last one of the file can be marked `end`. */
  private emit(rec: BgpRecord, out: BgpRecord[]): void {
    rec.dumpPosition = this.emittedAny || this.filteredAny || this.held ? 'middle' : 'start';
    if (this.held) this.release(out);
    this.held = rec;
    this.emittedAny = true;
  }

  private release(out: BgpRecord[]): void {
    const rec = this.held!;
    this.held = null;
    this.stats.records++;
    this.stats.elems += rec.elems.length;
    out.push(rec);
  }
}
