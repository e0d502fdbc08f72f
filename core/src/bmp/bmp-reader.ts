import { DecodeError } from '../bgp/decode-error.js';
import { openByteStream } from '../io/index.js';
import { readBatches } from '../model/chunked-reader.js';
import type { Elem } from '../model/elem.js';
import { BgpRecord, type RecordSource } from '../model/record.js';
import type { TimeInterval } from '../mrt/mrt-reader.js';
import {
  BMP_COMMON_HEADER_SIZE,
  BMP_MAX_MESSAGE_LENGTH,
  BMP_PER_PEER_HEADER_SIZE,
  BMP_ROUTE_MONITORING,
  BMP_VERSION,
  type BmpMessageKind,
  bmpHeaderProblem,
  hasPerPeerHeader,
  plausibleBmpMessageAt,
  readBmpCommonHeader,
} from './bmp-header.js';
import { type BmpMessage, decodeBmpMessage } from './bmp-message.js';
import { type BmpRecordSource, convertBmpMessage, emptyKindCounts } from './bmp-records.js';
import { BmpSession } from './bmp-session.js';
import {
  decodeOpenBmpHeader,
  findTextHeaderEnd,
  OPENBMP_MAX_HEADER_LENGTH,
  OPENBMP_MAX_TEXT_HEADER,
  OPENBMP_OBJECT_BMP_RAW,
  type OpenBmpHeader,
  peekOpenBmpLengths,
  startsWithOpenBmpMagic,
} from './openbmp-header.js';

/**
 * Whether BMP messages come behind an OpenBMP header: `auto` (default) takes one when the bytes
 * start with it ("OBMP" binary v1.7, or a legacy text header starting with 'V'), `yes` requires
 * one, `no` reads raw BMP only (as a BMP station writes a router's TCP stream).
 */
export type OpenBmpMode = 'auto' | 'yes' | 'no';

export interface BmpReaderOptions {
  /** Project, collector, record type (default `update`) and dump time of the stream. */
  source?: Partial<RecordSource>;
  openbmp?: OpenBmpMode;
  /**
   * Also make records of the messages BGPStream drops (Statistics Report, Initiation, Termination,
   * Route Mirroring, non-UPDATE Route Monitoring): `valid`, with 0 elems. Default false.
   */
  allMessages?: boolean;
  /** Keep each message's bytes (OpenBMP header included) in `record.raw`, a view. Default true. */
  keepRaw?: boolean;
  /** Records before `begin` are skipped; the first after `end` ends the stream with an `outside-time-interval` record. */
  interval?: TimeInterval;
  /** Peer capabilities, router names and the last time, shared with other readers or calls. */
  session?: BmpSession;
}

export interface BmpReaderStats {
  /** Records handed out, whatever their status. */
  records: number;
  elems: number;
  corruptedRecords: number;
  /** Records skipped by the time interval. */
  filteredRecords: number;
  /** Messages that decoded, by kind, kept or not. */
  messages: Record<BmpMessageKind, number>;
  /** Messages that decoded but make no record (BGPStream keeps only route monitoring UPDATEs, peer up and peer down). */
  skippedMessages: number;
  /** OpenBMP messages that are not a router's BMP_RAW (flag 0x80, object type 12), skipped as BGPStream does. */
  skippedOpenBmp: number;
  /** Legacy OpenBMP text headers skipped. */
  textHeaders: number;
  /** Bytes passed over while looking for the next message after garbage. */
  bytesSkipped: number;
}

const EMPTY = new Uint8Array(0);
const CHAR_O = 0x4f;
const CHAR_V = 0x56;
/** Bytes needed to judge whether an OpenBMP binary header starts here. */
const OPENBMP_PEEK = 12;
/** A candidate tells its length, is not one, or cannot be judged until more bytes come. */
const NOT_A_MESSAGE = -1;
const NEED_MORE = -2;
/** Route monitoring is judged up to the end of its BGP marker. */
const BMP_MARKER_END = BMP_COMMON_HEADER_SIZE + BMP_PER_PEER_HEADER_SIZE + 16;

/**
 * Splits a BMP byte stream (raw BMP, or messages behind OpenBMP headers) into messages and turns
 * them into records, one batch per input chunk. Bad bytes never throw: a message whose header is
 * wrong (version, type, length) or whose body does not decode becomes a `corrupted-record`, and the
 * reader looks for the next plausible message. Memory holds at most one message (1 MiB) plus a chunk.
 */
export class BmpReader {
  readonly stats: BmpReaderStats = {
    records: 0,
    elems: 0,
    corruptedRecords: 0,
    filteredRecords: 0,
    messages: emptyKindCounts(),
    skippedMessages: 0,
    skippedOpenBmp: 0,
    textHeaders: 0,
    bytesSkipped: 0,
  };
  readonly session: BmpSession;
  private buf: Uint8Array = EMPTY;
  /** The reader's own array that `buf` views when bytes were carried over; free space past `buf`'s end. */
  private store: Uint8Array | null = null;
  private pos = 0;
  /** Stream offset of buf[0], for error messages. */
  private base = 0;
  private inGarbage = false;
  private held: BgpRecord | null = null;
  private emittedAny = false;
  private filteredAny = false;
  private stopped = false;
  private readonly source: BmpRecordSource;
  private readonly mode: OpenBmpMode;
  private readonly allMessages: boolean;
  private readonly keepRaw: boolean;
  private readonly begin: number;
  private readonly end: number;

  constructor(options: BmpReaderOptions = {}) {
    this.source = {
      project: options.source?.project ?? '',
      collector: options.source?.collector ?? '',
      type: options.source?.type ?? 'update',
      dumpTime: options.source?.dumpTime ?? 0,
    };
    this.mode = options.openbmp ?? 'auto';
    this.allMessages = options.allMessages ?? false;
    this.keepRaw = options.keepRaw ?? true;
    this.begin = options.interval?.begin ?? 0;
    this.end = options.interval?.end ?? 0;
    this.session = options.session ?? new BmpSession();
  }

  /** True once a record past the interval ended the stream. */
  get done(): boolean {
    return this.stopped;
  }

  /** Decodes every message of `chunks`. Stops reading early when the interval ends. */
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
        // Grow geometrically while one message spans many chunks, but not far past the largest message.
        const joined = new Uint8Array(
          Math.max(need, Math.min(2 * rest.length, BMP_MAX_MESSAGE_LENGTH + OPENBMP_MAX_HEADER_LENGTH)),
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

  /** Ends the stream: a partial message left over is a truncated (corrupted) one; the last record gets `end`. */
  finish(): BgpRecord[] {
    const out: BgpRecord[] = [];
    if (!this.stopped) this.drain(true, out);
    if (this.held) {
      if (!this.stopped) this.held.dumpPosition = 'end';
      this.release(out);
    } else if (!this.emittedAny && !this.stopped) {
      const rec = this.makeRecord(
        this.source.dumpTime,
        0,
        this.filteredAny ? 'filtered-source' : 'empty-source',
      );
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
    const rec = this.makeRecord(this.fallbackTime(), 0, 'corrupted-source');
    rec.error = message;
    rec.dumpPosition = 'end';
    out.push(rec);
    this.stats.records++;
    this.stopped = true;
    return out;
  }

  private drain(eof: boolean, out: BgpRecord[]): void {
    const buf = this.buf;
    while (!this.stopped) {
      if (this.pos >= buf.length) return;
      if (this.inGarbage && !this.resync(eof)) return;
      const p = this.pos;
      const avail = buf.length - p;
      const b0 = buf[p];
      if (b0 === CHAR_O && this.mode !== 'no') {
        if (avail < OPENBMP_PEEK && !eof && isPrefixOfMagic(buf, p, buf.length)) return;
        const lens = peekOpenBmpLengths(buf, p, buf.length);
        if (lens === null || lens.messageLength > BMP_MAX_MESSAGE_LENGTH) {
          this.garbage(out, `no OpenBMP v1.7 header at byte ${this.base + p}`);
          continue;
        }
        const total = lens.headerLength + lens.messageLength;
        if (avail < total) {
          if (!eof) return;
          this.truncatedAt(
            out,
            p,
            `OpenBMP message at byte ${this.base + p} claims ${total} bytes, ${avail} remain`,
          );
          continue;
        }
        this.pos = p + total;
        this.decodeOpenBmp(buf, p, lens.headerLength, total, out);
        continue;
      }
      if (b0 === CHAR_V && this.mode !== 'no') {
        if (avail < 2 && !eof) return;
        const q = avail < 2 || buf[p + 1] !== 0x3a /* ':' */ ? -1 : findTextHeaderEnd(buf, p, buf.length);
        if (q < 0) {
          if (!eof && avail < OPENBMP_MAX_TEXT_HEADER && buf[p + 1] === 0x3a) return;
          this.garbage(out, `OpenBMP text header at byte ${this.base + p} has no blank line`);
          continue;
        }
        this.stats.textHeaders++;
        this.pos = q;
        continue;
      }
      if (b0 === BMP_VERSION && this.mode !== 'yes') {
        if (avail < BMP_COMMON_HEADER_SIZE) {
          if (!eof) return;
          this.truncatedAt(out, p, `${avail} bytes left, less than a BMP common header`);
          continue;
        }
        const h = readBmpCommonHeader(buf, p);
        const problem = bmpHeaderProblem(h);
        if (problem !== null) {
          this.garbage(out, `${problem} at byte ${this.base + p}`);
          continue;
        }
        if (avail < h.length) {
          if (!eof) return;
          this.truncatedAt(
            out,
            p,
            `BMP message at byte ${this.base + p} claims ${h.length} bytes, ${avail} remain`,
          );
          continue;
        }
        this.pos = p + h.length;
        this.decodeOne(buf, p, p + h.length, null, p, out);
        continue;
      }
      this.garbage(
        out,
        this.mode === 'yes'
          ? `no OpenBMP header at byte ${this.base + p} (first byte ${b0})`
          : `no BMP message at byte ${this.base + p} (first byte ${b0}, expected version 3)`,
      );
    }
  }

  /** The BMP data of one OpenBMP message [p, p + total): normally exactly one BMP message. */
  private decodeOpenBmp(
    buf: Uint8Array,
    p: number,
    headerLength: number,
    total: number,
    out: BgpRecord[],
  ): void {
    let hdr: OpenBmpHeader;
    try {
      hdr = decodeOpenBmpHeader(buf, p, p + headerLength);
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      this.corrupt(out, err.message, this.keepRaw ? buf.subarray(p, p + total) : null);
      return;
    }
    if (!hdr.routerMessage || hdr.objectType !== OPENBMP_OBJECT_BMP_RAW) {
      this.stats.skippedOpenBmp++;
      this.filteredAny = true;
      return;
    }
    const dataEnd = p + total;
    let q = p + headerLength;
    let rawStart = p;
    while (q < dataEnd && !this.stopped) {
      const h = dataEnd - q < BMP_COMMON_HEADER_SIZE ? null : readBmpCommonHeader(buf, q);
      const problem =
        h === null ? `${dataEnd - q} bytes left, less than a BMP common header` : bmpHeaderProblem(h);
      const len = h?.length ?? 0;
      if (problem !== null || q + len > dataEnd) {
        const why = problem ?? `BMP message length ${len} runs past its OpenBMP message`;
        this.corrupt(
          out,
          `${why} (OpenBMP message at byte ${this.base + p})`,
          this.keepRaw ? buf.subarray(rawStart, dataEnd) : null,
        );
        return;
      }
      this.decodeOne(buf, q, q + len, hdr, rawStart, out);
      q += len;
      rawStart = q;
    }
  }

  private decodeOne(
    buf: Uint8Array,
    off: number,
    end: number,
    obmp: OpenBmpHeader | null,
    rawStart: number,
    out: BgpRecord[],
  ): void {
    const raw = this.keepRaw ? buf.subarray(rawStart, end) : null;
    let rec: BgpRecord | null;
    try {
      const result = convertBmpMessage(buf, off, end, obmp, raw, this.source, this.session, this.allMessages);
      this.stats.messages[result.message.kind]++;
      rec = result.record;
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      this.corrupt(out, `${err.message} (message at byte ${this.base + off})`, raw);
      return;
    }
    if (rec === null) {
      this.stats.skippedMessages++;
      this.filteredAny = true;
      return;
    }
    if (rec.timeSec < this.begin) {
      this.filteredAny = true;
      this.stats.filteredRecords++;
      return;
    }
    if (this.end > 0 && rec.timeSec > this.end) {
      if (this.held) this.release(out);
      const stop = this.makeRecord(rec.timeSec, rec.timeUsec, 'outside-time-interval');
      stop.dumpPosition = this.emittedAny || this.filteredAny ? 'middle' : 'start';
      out.push(stop);
      this.stats.records++;
      this.stopped = true;
      return;
    }
    this.emit(rec, out);
  }

  /** Bytes that start no message: one corrupted record for the run, then look for the next message. */
  private garbage(out: BgpRecord[], message: string): void {
    this.corrupt(out, message, null);
    this.inGarbage = true;
    this.pos++;
    this.stats.bytesSkipped++;
  }

  /** At the end of the stream, a message that claims more bytes than remain. */
  private truncatedAt(out: BgpRecord[], p: number, message: string): void {
    this.corrupt(out, `truncated: ${message}`, null);
    this.inGarbage = true;
    this.pos = p + 1;
    this.stats.bytesSkipped++;
  }

  /**
   * Length of the message a plausible header at `q` announces (an OpenBMP message, a text header
   * with its BMP message, or a BMP message), NOT_A_MESSAGE, or NEED_MORE when the bytes so far
   * cannot tell. A verdict is only given once every byte it looks at is there, so that the way the
   * stream is cut into chunks never changes it.
   */
  private candidateAt(buf: Uint8Array, q: number, eof: boolean): number {
    const end = buf.length;
    const b0 = buf[q];
    if (b0 === CHAR_O && this.mode !== 'no') {
      if (q + OPENBMP_PEEK > end) return !eof && isPrefixOfMagic(buf, q, end) ? NEED_MORE : NOT_A_MESSAGE;
      const lens = peekOpenBmpLengths(buf, q, end);
      if (lens === null || lens.messageLength > BMP_MAX_MESSAGE_LENGTH) return NOT_A_MESSAGE;
      if (lens.messageLength > 0) {
        const inner = this.bmpCandidate(buf, q + lens.headerLength, eof);
        if (inner === NOT_A_MESSAGE || inner === NEED_MORE) return inner;
      }
      return lens.headerLength + lens.messageLength;
    }
    if (b0 === CHAR_V && this.mode !== 'no') {
      if (q + 2 > end) return eof ? NOT_A_MESSAGE : NEED_MORE;
      if (buf[q + 1] !== 0x3a /* ':' */) return NOT_A_MESSAGE;
      const t = findTextHeaderEnd(buf, q, end);
      if (t < 0) return !eof && end - q < OPENBMP_MAX_TEXT_HEADER ? NEED_MORE : NOT_A_MESSAGE;
      const inner = this.bmpCandidate(buf, t, eof);
      return inner < 0 ? inner : t - q + inner;
    }
    if (b0 === BMP_VERSION && this.mode !== 'yes') return this.bmpCandidate(buf, q, eof);
    return NOT_A_MESSAGE;
  }

  /** A BMP message at `q`, judged by `plausibleBmpMessageAt` once the bytes it looks at are there. */
  private bmpCandidate(buf: Uint8Array, q: number, eof: boolean): number {
    const end = buf.length;
    if (q + BMP_COMMON_HEADER_SIZE > end) return eof ? NOT_A_MESSAGE : NEED_MORE;
    const h = readBmpCommonHeader(buf, q);
    if (bmpHeaderProblem(h) !== null) return NOT_A_MESSAGE;
    const judged = h.type === BMP_ROUTE_MONITORING ? BMP_MARKER_END : hasPerPeerHeader(h.type) ? 8 : 6;
    if (q + judged > end) return eof ? NOT_A_MESSAGE : NEED_MORE;
    return plausibleBmpMessageAt(buf, q, end) ? h.length : NOT_A_MESSAGE;
  }

  /** Scans for the next plausible message that is followed by another plausible one (or the end). */
  private resync(eof: boolean): boolean {
    const buf = this.buf;
    for (let q = this.pos; q < buf.length; q++) {
      const len = this.candidateAt(buf, q, eof);
      if (len === NOT_A_MESSAGE) continue;
      if (len !== NEED_MORE) {
        const next = q + len;
        if (next === buf.length && eof) return this.resumeAt(q);
        // A candidate that decodes whole is a message, whatever follows it (a broken one, maybe).
        if (next <= buf.length && this.decodesAt(buf, q, next)) return this.resumeAt(q);
        if (next < buf.length) {
          const after = this.candidateAt(buf, next, eof);
          if (after === NOT_A_MESSAGE) continue;
          if (after !== NEED_MORE) return this.resumeAt(q);
        } else if (eof) {
          continue;
        }
      }
      // Cannot confirm yet: wait for more bytes from here.
      this.stats.bytesSkipped += q - this.pos;
      this.pos = q;
      return false;
    }
    this.stats.bytesSkipped += buf.length - this.pos;
    this.pos = buf.length;
    return false;
  }

  /** Whether [q, end) holds one message that decodes without error (its OpenBMP or text header included). */
  private decodesAt(buf: Uint8Array, q: number, end: number): boolean {
    try {
      let off = q;
      if (buf[q] === CHAR_O) {
        const h = decodeOpenBmpHeader(buf, q, end);
        off = q + h.headerLength;
        if (off === end) return true;
      } else if (buf[q] === CHAR_V) {
        off = findTextHeaderEnd(buf, q, end);
        if (off < 0) return false;
      }
      return off + decodeBmpMessage(buf, off, end).length === end;
    } catch (err) {
      if (err instanceof DecodeError) return false;
      throw err;
    }
  }

  private resumeAt(q: number): boolean {
    this.stats.bytesSkipped += q - this.pos;
    this.pos = q;
    this.inGarbage = false;
    return true;
  }

  private makeRecord(timeSec: number, timeUsec: number, status: BgpRecord['status']): BgpRecord {
    const s = this.source;
    return new BgpRecord(
      s.project,
      s.collector,
      s.type,
      s.dumpTime,
      timeSec,
      timeUsec,
      status,
      0,
      0,
      [],
      null,
    );
  }

  /** The time given to records whose own time cannot be trusted: the last trusted one, else the dump time. */
  private fallbackTime(): number {
    return this.session.lastTimeSec >= 0 ? this.session.lastTimeSec : this.source.dumpTime;
  }

  private corrupt(out: BgpRecord[], message: string, raw: Uint8Array | null): void {
    const s = this.source;
    const rec = new BgpRecord(
      s.project,
      s.collector,
      s.type,
      s.dumpTime,
      this.fallbackTime(),
      0,
      'corrupted-record',
      0,
      0,
      [],
      raw,
      message,
    );
    this.stats.corruptedRecords++;
    this.emit(rec, out);
  }

  /** Holds one record back so that the last one of the stream can be marked `end`. */
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

/** True when the bytes from `off` to `end` (fewer than 4) could still grow into "OBMP". */
function isPrefixOfMagic(buf: Uint8Array, off: number, end: number): boolean {
  const magic = [0x4f, 0x42, 0x4d, 0x50];
  for (let i = 0; i < 4 && off + i < end; i++) if (buf[off + i] !== magic[i]) return false;
  return true;
}

export interface ReadBmpOptions extends Omit<BmpReaderOptions, 'source'> {
  /** Stops reading; the generator then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Reads a BMP byte stream (chunks cut anywhere) as batches of records. Never throws for bad data:
 * bad bytes become `corrupted-record` records, and a failing chunk source ends the stream with a
 * `corrupted-source` record (unless `signal` aborted it, which rethrows).
 */
export async function* readBmpBatches(
  chunks: AsyncIterable<Uint8Array>,
  source: Partial<RecordSource> = {},
  options: ReadBmpOptions = {},
): AsyncGenerator<BgpRecord[]> {
  yield* readBatches(new BmpReader({ ...options, source }), chunks, options.signal);
}

export interface ReadBmpFileOptions extends ReadBmpOptions {
  source?: Partial<RecordSource>;
  /** Read size for local files (default 1 MiB). */
  readSize?: number;
}

/** Reads a BMP dump (path, file:// or http(s):// URL; plain, gzip or bzip2) as batches of records. */
export function readBmpFileBatches(
  location: string,
  options: ReadBmpFileOptions = {},
): AsyncGenerator<BgpRecord[]> {
  const chunks = openByteStream(location, {
    signal: options.signal,
    highWaterMark: options.readSize ?? 1 << 20,
  });
  return readBmpBatches(chunks, options.source ?? {}, options);
}

/** The records of a BMP dump, one at a time. */
export async function* readBmp(
  location: string,
  options: ReadBmpFileOptions = {},
): AsyncGenerator<BgpRecord> {
  for await (const batch of readBmpFileBatches(location, options)) yield* batch;
}

/** The elems of a BMP dump, with the record each came from. */
export async function* readBmpElems(
  location: string,
  options: ReadBmpFileOptions = {},
): AsyncGenerator<{ record: BgpRecord; elem: Elem }> {
  for await (const batch of readBmpFileBatches(location, options)) {
    for (const record of batch) for (const elem of record.elems) yield { record, elem };
  }
}

export interface BmpMessageOptions {
  openbmp?: OpenBmpMode;
  allMessages?: boolean;
  /** Keep the bytes in `record.raw` (a view of `bytes`). Default true. */
  keepRaw?: boolean;
  /**
   * Peer capabilities and router names learnt from earlier messages. Pass the same session for every
   * message of a topic: without it, each message is decoded alone (the ASN size of route monitoring
   * is then guessed, see the BMP README section in bmp/index.ts).
   */
  session?: BmpSession;
}

/**
 * The records of one Kafka message: an optional OpenBMP header and the BMP message(s) it carries
 * (openbmp-collector puts one per message). Never throws: bad bytes give one `corrupted-record`.
 * Returns no record for OpenBMP messages that are not a router's BMP_RAW and, without `allMessages`,
 * for the message types BGPStream drops. Records are `middle` of a never-ending stream.
 */
export function bmpMessageToRecords(
  bytes: Uint8Array,
  source: Partial<RecordSource> = {},
  options: BmpMessageOptions = {},
): BgpRecord[] {
  const src: BmpRecordSource = {
    project: source.project ?? '',
    collector: source.collector ?? '',
    type: source.type ?? 'update',
    dumpTime: source.dumpTime ?? 0,
  };
  const session = options.session ?? new BmpSession();
  const keepRaw = options.keepRaw ?? true;
  const mode = options.openbmp ?? 'auto';
  const out: BgpRecord[] = [];
  const corrupt = (message: string, raw: Uint8Array | null) => {
    const t = session.lastTimeSec >= 0 ? session.lastTimeSec : src.dumpTime;
    out.push(
      new BgpRecord(
        src.project,
        src.collector,
        src.type,
        src.dumpTime,
        t,
        0,
        'corrupted-record',
        0,
        0,
        [],
        raw,
        message,
      ),
    );
  };
  let obmp: OpenBmpHeader | null = null;
  let off = 0;
  let end = bytes.length;
  try {
    if (mode !== 'no' && startsWithOpenBmpMagic(bytes, 0, end)) {
      obmp = decodeOpenBmpHeader(bytes, 0, end);
      if (!obmp.routerMessage || obmp.objectType !== OPENBMP_OBJECT_BMP_RAW) return out;
      off = obmp.headerLength;
      if (off + obmp.messageLength > end)
        throw new DecodeError(
          `OpenBMP message length ${obmp.messageLength} runs past the ${end - off} bytes after the header`,
        );
      end = off + obmp.messageLength;
    } else if (mode !== 'no' && bytes[0] === CHAR_V) {
      off = findTextHeaderEnd(bytes, 0, end);
      if (off < 0) throw new DecodeError('OpenBMP text header has no blank line');
    } else if (mode === 'yes') {
      throw new DecodeError('no OpenBMP header');
    }
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
    corrupt(err.message, keepRaw ? bytes : null);
    return out;
  }
  let rawStart = 0;
  while (off < end) {
    if (off + BMP_COMMON_HEADER_SIZE > end) {
      corrupt(
        `${end - off} bytes left, less than a BMP common header`,
        keepRaw ? bytes.subarray(rawStart, end) : null,
      );
      return out;
    }
    const len = readBmpCommonHeader(bytes, off).length;
    const raw = keepRaw ? bytes.subarray(rawStart, Math.min(end, off + len)) : null;
    try {
      const result = convertBmpMessage(
        bytes,
        off,
        end,
        obmp,
        raw,
        src,
        session,
        options.allMessages ?? false,
      );
      if (result.record) out.push(result.record);
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      corrupt(err.message, raw);
      return out;
    }
    // convertBmpMessage checked the header: len is at least a common header.
    off += len;
    rawStart = off;
  }
  return out;
}

/** A record's BMP message and OpenBMP header, decoded again from `record.raw`. */
export interface BmpRecordInfo {
  openbmp: OpenBmpHeader | null;
  message: BmpMessage;
}

/**
 * Decodes bytes as a BMP reader keeps them in `record.raw`: an optional OpenBMP header (binary or
 * text) and one BMP message. Throws DecodeError on malformed bytes.
 */
export function decodeBmpRaw(raw: Uint8Array): BmpRecordInfo {
  let off = 0;
  let openbmp: OpenBmpHeader | null = null;
  if (startsWithOpenBmpMagic(raw, 0, raw.length)) {
    openbmp = decodeOpenBmpHeader(raw, 0, raw.length);
    off = openbmp.headerLength;
  } else if (raw[0] === CHAR_V) {
    off = findTextHeaderEnd(raw, 0, raw.length);
    if (off < 0) throw new DecodeError('OpenBMP text header has no blank line');
  }
  return { openbmp, message: decodeBmpMessage(raw, off, raw.length) };
}

/**
 * The full BMP headers behind a record made by the BMP reader (kept with `keepRaw`, the default):
 * per-peer header flags (pre/post-policy, Adj-RIB-In/Out, Loc-RIB), peer distinguisher, BGP id,
 * OpenBMP fields. Null for records without raw bytes or whose bytes do not decode.
 */
export function bmpRecordInfo(record: BgpRecord): BmpRecordInfo | null {
  if (!record.raw || record.status !== 'valid') return null;
  try {
    return decodeBmpRaw(record.raw);
  } catch (err) {
    if (err instanceof DecodeError) return null;
    throw err;
  }
}
