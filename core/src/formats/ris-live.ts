import { DecodeOutput } from '../bgp/decode-output.js';
import { BGP_UPDATE, frameBgpMessage } from '../bgp/message.js';
import { updateToElems } from '../bgp/update.js';
import type { Resource } from '../datainterfaces/resource.js';
import { openByteStream } from '../io/index.js';
import { describeError } from '../io/source-error.js';
import { IpAddress } from '../model/address.js';
import { readBatches } from '../model/chunked-reader.js';
import { Elem } from '../model/elem.js';
import { BgpRecord, type RecordSource, type RecordStatus } from '../model/record.js';
import type { TimeInterval } from '../mrt/mrt-reader.js';
import { type RisLiveStreamOptions, websocketLines } from './ris-live-socket.js';

/**
 * RIS Live JSON lines (https://ris-live.ripe.net/manual/), one message per line, decoded as
 * BGPStream's `ris-live` format does (spec 3.7): `ris_message` objects only, `data.type` chosen by
 * its first letter (U: UPDATE from `raw`, R: RIS_PEER_STATE, anything else unsupported),
 * `ris_error` a valid record without elems, bad JSON or bad hex a corrupted record.
 */

/** BGP FSM codes of the RIS_PEER_STATE `state` values (exabgp's names). */
const PEER_STATE_CODES: Readonly<Record<string, number>> = { down: 1, connected: 2, up: 6 };

/** libparsebgp's limit is 4096 bytes (RFC 4271); RFC 8654 extended messages may reach 65535. */
const MAX_BGP_MESSAGE = 0xffff;
const MAX_U32 = 0xffffffff;
const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const TIMESTAMP_TEXT = /"timestamp"\s*:\s*"?([0-9][0-9.eE+-]*)/;
const DEFAULT_MAX_LINE_BYTES = 4 << 20;
const NEWLINE = 0x0a;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

/** One decoded line, and whether the interval applies to it (only records whose time is their own). */
interface Decoded {
  record: BgpRecord;
  timed: boolean;
}

class LineProblem extends Error {}

/**
 * One RIS Live JSON line (without its newline) as a record. Never throws: bad input gives a
 * `corrupted-record` record whose `error` says why. Records that carry no time of their own
 * (corrupted ones, `ris_error`) get the source's dump time.
 */
export function risLiveLineToRecord(line: string, source: RecordSource): BgpRecord {
  return decodeLine(line, utf8Encoder.encode(line), source, source.dumpTime).record;
}

function decodeLine(text: string, raw: Uint8Array, source: RecordSource, fallbackTime: number): Decoded {
  let collector = source.collector;
  const make = (
    status: RecordStatus,
    timeSec: number,
    timeUsec: number,
    elems: Elem[],
    error: string | null,
  ): BgpRecord =>
    new BgpRecord(
      source.project,
      collector,
      source.type,
      source.dumpTime,
      timeSec,
      timeUsec,
      status,
      0,
      0,
      elems,
      raw,
      error,
    );
  const corrupted = (message: string): Decoded => ({
    record: make('corrupted-record', fallbackTime, 0, [], message),
    timed: false,
  });

  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch (err) {
    return corrupted(`malformed JSON: ${describeError(err)}`);
  }
  if (!isObject(msg)) return corrupted('the line is not a JSON object');
  const envelope = msg.type;
  if (typeof envelope !== 'string') return corrupted('no "type" in the message');
  if (envelope === 'ris_error') {
    const data = msg.data;
    const message = isObject(data) && typeof data.message === 'string' ? data.message : JSON.stringify(data);
    return { record: make('valid', fallbackTime, 0, [], `ris_error: ${message}`), timed: false };
  }
  if (envelope !== 'ris_message') {
    // ris_subscribe_ok, pong, ris_rrc_list...: well-formed, but not BGP data.
    return {
      record: make('unsupported-record', fallbackTime, 0, [], `RIS Live message of type '${envelope}'`),
      timed: false,
    };
  }
  const data = msg.data;
  if (!isObject(data)) return corrupted('ris_message without a "data" object');
  if (typeof data.host === 'string' && data.host !== '') collector = data.host;
  const type = data.type;
  if (typeof type !== 'string' || type === '') return corrupted('ris_message without "data.type"');

  try {
    const kind = type[0];
    if (kind !== 'U' && kind !== 'R') {
      // OPEN, NOTIFICATION, KEEPALIVE and anything else: BGPStream keeps no elems for them.
      const time = parseTimestamp(data.timestamp, text);
      return {
        record: make(
          'unsupported-record',
          time?.sec ?? fallbackTime,
          time?.usec ?? 0,
          [],
          `unsupported RIS Live message type '${type}'`,
        ),
        timed: time !== null,
      };
    }
    const time = parseTimestamp(data.timestamp, text);
    if (time === null) throw new LineProblem(`bad or missing timestamp ${JSON.stringify(data.timestamp)}`);
    const peerAddress = parsePeer(data.peer);
    const peerAsn = parseAsn(data.peer_asn);
    if (kind === 'R') {
      const state = typeof data.state === 'string' ? (PEER_STATE_CODES[data.state] ?? 0) : 0;
      const elem = new Elem(
        'S',
        time.sec,
        time.usec,
        peerAddress,
        peerAsn,
        null,
        null,
        null,
        null,
        0,
        state,
        0,
      );
      return { record: make('valid', time.sec, time.usec, [elem], null), timed: true };
    }
    const bytes = parseRaw(data.raw);
    const frame = frameBgpMessage(bytes, 0, bytes.length);
    if (frame.type !== BGP_UPDATE) throw new LineProblem(`"raw" holds a BGP message of type ${frame.type}`);
    const out = new DecodeOutput();
    updateToElems(
      bytes,
      frame.bodyStart,
      frame.bodyEnd,
      { asSize: 4, addPath: 'no', ribAfi: 0 },
      { timeSec: time.sec, timeUsec: time.usec, peerAddress, peerAsn },
      out,
    );
    if (frame.bodyEnd < bytes.length)
      out.addProblem(`${bytes.length - frame.bodyEnd} bytes after the message`);
    const record = make('valid', time.sec, time.usec, out.elems, out.problems?.join('; ') ?? null);
    return { record, timed: true };
  } catch (err) {
    // DecodeError and LineProblem are bad input; anything else is too, as far as this line goes.
    return corrupted(`${type}: ${describeError(err)}`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Decimal seconds, fractional digits past 6 ignored (BGPStream's `strntotime`). The digits are
 * taken from the line's text when they match the parsed number, so a binary float never rounds
 * the microseconds.
 */
function parseTimestamp(value: unknown, line: string): { sec: number; usec: number } | null {
  let text: string;
  if (typeof value === 'string') {
    text = value.trim();
  } else if (typeof value === 'number') {
    if (!(value >= 0 && value <= MAX_U32 + 1)) return null;
    const m = TIMESTAMP_TEXT.exec(line);
    text = m && Number(m[1]) === value ? m[1] : String(value);
    if (/[eE]/.test(text)) text = value.toFixed(9);
  } else {
    return null;
  }
  const m = /^(\d+)(?:\.(\d*))?$/.exec(text);
  if (!m) return null;
  const sec = Number(m[1]);
  if (sec > MAX_U32) return null;
  return { sec, usec: Number(`${m[2] ?? ''}000000`.slice(0, 6)) };
}

function parsePeer(value: unknown): IpAddress {
  const address = typeof value === 'string' ? IpAddress.tryParse(value) : undefined;
  if (!address) throw new LineProblem(`bad or missing peer address ${JSON.stringify(value)}`);
  return address;
}

function parseAsn(value: unknown): number {
  const n =
    typeof value === 'string' && /^\d{1,10}$/.test(value)
      ? Number(value)
      : typeof value === 'number' && Number.isInteger(value)
        ? value
        : -1;
  if (n < 0 || n > MAX_U32) throw new LineProblem(`bad or missing peer_asn ${JSON.stringify(value)}`);
  return n;
}

function parseRaw(value: unknown): Uint8Array {
  if (typeof value !== 'string' || value === '') {
    throw new LineProblem('no "raw" BGP message (subscribe with socketOptions.includeRaw)');
  }
  if (value.length > 2 * MAX_BGP_MESSAGE)
    throw new LineProblem(`"raw" is longer than ${MAX_BGP_MESSAGE} bytes`);
  if (!HEX.test(value)) throw new LineProblem('"raw" is not hex text of whole bytes');
  return Buffer.from(value, 'hex');
}

export interface RisLiveReaderOptions {
  /** Records before `begin` or after `end` (when not 0) are skipped; RIS Live is not sorted, so reading goes on. */
  interval?: TimeInterval;
  /**
   * A live stream: hand each record out at once (no look-ahead, so no `end` position), and no
   * empty/filtered-source record. Default false: a file, whose last record gets `end`.
   */
  live?: boolean;
  /** A line longer than this is a corrupted record, skipped up to the next newline (default 4 MiB). */
  maxLineBytes?: number;
}

export interface RisLiveReaderStats {
  /** Non-blank lines read. */
  lines: number;
  /** Records handed out, whatever their status. */
  records: number;
  corruptedRecords: number;
  unsupportedRecords: number;
  /** Records skipped by the time interval. */
  filteredRecords: number;
}

/**
 * Splits bytes (or takes ready lines) into RIS Live messages and turns them into records, with
 * dump positions as the MRT reader gives them: `start` for the first record when nothing was
 * filtered before it, `end` for the last of a file (one record of look-ahead), `middle` otherwise.
 */
export class RisLiveReader {
  readonly stats: RisLiveReaderStats = {
    lines: 0,
    records: 0,
    corruptedRecords: 0,
    unsupportedRecords: 0,
    filteredRecords: 0,
  };
  private readonly begin: number;
  private readonly end: number;
  private readonly live: boolean;
  private readonly maxLineBytes: number;
  /** Bytes of the line not yet ended by a newline. */
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** Inside an over-long line: drop bytes up to the next newline. */
  private discarding = false;
  private held: BgpRecord | null = null;
  private emittedAny = false;
  private filteredAny = false;
  private stopped = false;
  private lastTime = -1;

  constructor(
    private readonly source: RecordSource,
    options: RisLiveReaderOptions = {},
  ) {
    this.begin = options.interval?.begin ?? 0;
    this.end = options.interval?.end ?? 0;
    this.live = options.live ?? false;
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  }

  /** Feeds bytes; returns the records of the lines they completed. */
  push(chunk: Uint8Array): BgpRecord[] {
    const out: BgpRecord[] = [];
    if (this.stopped) return out;
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, start);
      const stop = nl < 0 ? chunk.length : nl;
      if (this.discarding) {
        if (nl >= 0) this.discarding = false;
      } else if (this.pendingBytes + (stop - start) > this.maxLineBytes) {
        this.pending = [];
        this.pendingBytes = 0;
        this.discarding = nl < 0;
        this.stats.lines++;
        this.corruptLine(out, `line longer than ${this.maxLineBytes} bytes`);
      } else if (nl < 0) {
        // Copied: the caller may reuse its buffer, and a view would pin the whole chunk.
        this.pending.push(chunk.slice(start));
        this.pendingBytes += chunk.length - start;
      } else {
        const piece = chunk.subarray(start, nl);
        const bytes = this.pendingBytes === 0 ? piece.slice() : this.takePending(piece);
        this.lineBytes(bytes, out);
      }
      if (nl < 0) break;
      start = nl + 1;
    }
    return out;
  }

  /** Feeds one line that arrived whole (a websocket message). */
  pushLine(line: string): BgpRecord[] {
    const out: BgpRecord[] = [];
    if (this.stopped) return out;
    // One message per line is the format; a message holding several lines is split.
    const parts = line.includes('\n') ? line.split('\n') : [line];
    for (const part of parts) {
      const text = part.endsWith('\r') ? part.slice(0, -1) : part;
      if (text.trim() === '') continue;
      this.decode(text, utf8Encoder.encode(text), out);
    }
    return out;
  }

  /** Ends the input: a last line without a newline is decoded; the last record gets `end`. */
  finish(): BgpRecord[] {
    const out: BgpRecord[] = [];
    if (this.stopped) return out;
    if (this.pendingBytes > 0 && !this.discarding) this.lineBytes(this.takePending(new Uint8Array(0)), out);
    this.pending = [];
    this.pendingBytes = 0;
    if (this.held) {
      this.held.dumpPosition = 'end';
      this.release(out);
    } else if (!this.emittedAny && !this.live) {
      const rec = this.blank(
        this.filteredAny ? 'filtered-source' : 'empty-source',
        this.source.dumpTime,
        null,
      );
      rec.dumpPosition = 'end';
      out.push(rec);
      this.stats.records++;
    }
    this.stopped = true;
    return out;
  }

  /** Ends the input because the source failed: a `corrupted-source` record closes it. */
  sourceFailure(message: string): BgpRecord[] {
    const out: BgpRecord[] = [];
    if (this.stopped) return out;
    if (this.held) this.release(out);
    const rec = this.blank('corrupted-source', this.fallbackTime(), message);
    rec.dumpPosition = 'end';
    out.push(rec);
    this.stats.records++;
    this.stopped = true;
    return out;
  }

  private takePending(tail: Uint8Array): Uint8Array {
    const bytes = new Uint8Array(this.pendingBytes + tail.length);
    let off = 0;
    for (const p of this.pending) {
      bytes.set(p, off);
      off += p.length;
    }
    bytes.set(tail, off);
    this.pending = [];
    this.pendingBytes = 0;
    return bytes;
  }

  private lineBytes(bytes: Uint8Array, out: BgpRecord[]): void {
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === 0x0d) end--;
    const raw = end === bytes.length ? bytes : bytes.subarray(0, end);
    let text: string;
    try {
      text = utf8.decode(raw);
    } catch {
      this.stats.lines++;
      this.corruptLine(out, 'the line is not UTF-8 text', raw);
      return;
    }
    if (text.trim() === '') return;
    this.decode(text, raw, out);
  }

  private decode(text: string, raw: Uint8Array, out: BgpRecord[]): void {
    this.stats.lines++;
    const { record, timed } = decodeLine(text, raw, this.source, this.fallbackTime());
    if (timed) {
      if (record.timeSec < this.begin || (this.end > 0 && record.timeSec > this.end)) {
        this.filteredAny = true;
        this.stats.filteredRecords++;
        return;
      }
      this.lastTime = record.timeSec;
    }
    this.emit(record, out);
  }

  private corruptLine(out: BgpRecord[], message: string, raw: Uint8Array | null = null): void {
    this.emit(this.blank('corrupted-record', this.fallbackTime(), message, raw), out);
  }

  private blank(status: RecordStatus, timeSec: number, error: string | null, raw: Uint8Array | null = null) {
    const s = this.source;
    return new BgpRecord(
      s.project,
      s.collector,
      s.type,
      s.dumpTime,
      timeSec,
      0,
      status,
      0,
      0,
      [],
      raw,
      error,
    );
  }

  /** The time of records without one of their own: the previous record's, else the dump time. */
  private fallbackTime(): number {
    return this.lastTime >= 0 ? this.lastTime : this.source.dumpTime;
  }

  private emit(rec: BgpRecord, out: BgpRecord[]): void {
    if (rec.status === 'corrupted-record') this.stats.corruptedRecords++;
    else if (rec.status === 'unsupported-record') this.stats.unsupportedRecords++;
    rec.dumpPosition = this.emittedAny || this.filteredAny ? 'middle' : 'start';
    this.emittedAny = true;
    if (this.held) this.release(out);
    if (this.live) {
      out.push(rec);
      this.stats.records++;
    } else {
      this.held = rec;
    }
  }

  private release(out: BgpRecord[]): void {
    if (this.held) {
      out.push(this.held);
      this.stats.records++;
      this.held = null;
    }
  }
}

export interface ReadRisLiveOptions extends Omit<RisLiveReaderOptions, 'interval'> {
  /** When aborted, a failing input rethrows instead of ending with a `corrupted-source` record. */
  signal?: AbortSignal;
}

/**
 * Reads RIS Live JSON lines from byte chunks (lines may span chunks) as batches of records, one
 * batch per chunk. Never throws for bad data; an input that fails ends with a `corrupted-source`
 * record.
 */
export async function* readRisLiveBatches(
  chunks: AsyncIterable<Uint8Array>,
  source: RecordSource,
  interval?: TimeInterval,
  options: ReadRisLiveOptions = {},
): AsyncGenerator<BgpRecord[]> {
  yield* readBatches(new RisLiveReader(source, { ...options, interval }), chunks, options.signal);
}

/** A resource that may carry the websocket subscription and transport settings of the `ris-live` data interface. */
export interface RisLiveResource extends Resource {
  risLive?: RisLiveStreamOptions;
}

export interface OpenRisLiveOptions {
  interval?: TimeInterval;
  signal?: AbortSignal;
}

const WEBSOCKET_URL = /^wss?:\/\//i;

/**
 * The records of a `ris-live` resource: a ws:// or wss:// URL is a live RIS Live websocket (one
 * batch per message; aborting ends the stream quietly; repeated connection failures end it with
 * a `corrupted-source` record); anything else is a file of JSON lines read with `openByteStream`.
 */
export async function* openRisLiveResource(
  resource: RisLiveResource,
  options: OpenRisLiveOptions = {},
): AsyncGenerator<BgpRecord[]> {
  const source: RecordSource = {
    project: resource.project,
    collector: resource.collector,
    type: resource.type,
    dumpTime: resource.initialTime,
  };
  const { interval, signal } = options;
  if (!WEBSOCKET_URL.test(resource.url)) {
    yield* readRisLiveBatches(openByteStream(resource.url, { signal }), source, interval, { signal });
    return;
  }
  const reader = new RisLiveReader(source, { interval, live: true });
  const settings = resource.risLive ?? {};
  try {
    for await (const line of websocketLines(resource.url, settings.subscribe ?? null, signal, settings)) {
      const out = reader.pushLine(line);
      if (out.length > 0) yield out;
    }
  } catch (err) {
    if (signal?.aborted) return;
    yield reader.sourceFailure(describeError(err));
  }
}
