import type {
  DataInterface,
  DataInterfaceOptionSpec,
  DataInterfaceType,
} from '../datainterfaces/data-interface.js';
import { getDataInterfaceType, getDataInterfaceTypes } from '../datainterfaces/index.js';
import type { Resource, ResourceQuery } from '../datainterfaces/resource.js';
import { FilterSet, type FilterType, parseFilterString } from '../filter/index.js';
import type { Elem } from '../model/elem.js';
import type { BgpRecord, RecordType } from '../model/record.js';
import type { TimeInterval } from '../mrt/mrt-reader.js';
import { parseRecentInterval, type TimeInput, toUnixSeconds } from './interval.js';
import { openResource } from './open-resource.js';
import { RecordMerger } from './record-merger.js';
import { RibPeriodFilter } from './rib-period.js';
import { WorkerPool } from './worker-pool.js';
import type { FilterCall } from './worker-protocol.js';

/** The high-level configuration a TypeScript user writes. */
export interface BGPStreamOptions {
  /** Start of the time window (unix seconds, `Date`, or `YYYY-MM-DD[ HH:MM[:SS]]` UTC). */
  from?: TimeInput;
  /** End of the time window; absent with `from` set: until the data ends (or forever in live mode). */
  until?: TimeInput;
  projects?: string[];
  collectors?: string[];
  routers?: string[];
  /** `ribs`/`updates` (bgpreader's words) or `rib`/`update`. */
  recordType?: 'ribs' | 'updates' | RecordType | ('ribs' | 'updates' | RecordType)[];
  /** A BGPStream filter string, e.g. `peer 25152 and prefix more 2a02::/16`. */
  filter?: string;
  /** Data interface name (default `broker`) and its options. */
  dataInterface?: string;
  dataInterfaceOptions?: Record<string, string | string[]>;
  /** Keep polling the data interface for new dumps. */
  live?: boolean;
  /** Keep at most one RIB dump per collector per this many seconds. */
  ribPeriod?: number;
  /** Seconds between polls of the data interface in live mode (default 20, as BGPStream). */
  pollInterval?: number;
  /**
   * Worker threads that read, decode and filter MRT dumps in parallel (default 0: all in this
   * thread). Used when elem filters are set: only records with elems that pass come back, and
   * are decoded again here; an unfiltered stream gains nothing from them.
   */
  workers?: number;
}

type State = 'configuring' | 'started' | 'closed';

/**
 * A time-ordered stream of BGP records from many dumps of many collectors,
 * cut by BGPStream's filters. The low-level API mirrors libbgpstream
 * (`addFilter`, `setDataInterface`, `start`, `getNextRecord`); the options
 * object and `for await` are the TypeScript way to the same thing.
 */
export class BGPStream implements AsyncIterable<Elem> {
  private readonly filters = new FilterSet();
  private interval: TimeInterval | null = null;
  private live = false;
  private ribPeriod = 0;
  private pollSeconds = 20;
  private diType: DataInterfaceType;
  private readonly diOptions = new Map<string, [string, string][]>();
  private state: State = 'configuring';
  private di: DataInterface | undefined;
  private merger: RecordMerger | undefined;
  private ribPeriodFilter: RibPeriodFilter | undefined;
  private readonly abort = new AbortController();
  private recordIterator: AsyncIterator<BgpRecord> | undefined;
  private readonly filterCalls: FilterCall[] = [];
  private workers = 0;
  private pool: WorkerPool | undefined;
  private readonly resourceFilters: ((resource: Resource) => boolean | Promise<boolean>)[] = [];

  constructor(options: BGPStreamOptions = {}) {
    this.diType = getDataInterfaceType(options.dataInterface ?? 'broker');
    for (const [name, value] of Object.entries(options.dataInterfaceOptions ?? {})) {
      for (const v of Array.isArray(value) ? value : [value])
        this.setDataInterfaceOption(this.diType.name, name, v);
    }
    for (const p of options.projects ?? []) this.addFilter('project', p);
    for (const c of options.collectors ?? []) this.addFilter('collector', c);
    for (const r of options.routers ?? []) this.addFilter('router', r);
    const types =
      options.recordType === undefined
        ? []
        : Array.isArray(options.recordType)
          ? options.recordType
          : [options.recordType];
    for (const t of types)
      this.addFilter('record-type', t === 'rib' ? 'ribs' : t === 'update' ? 'updates' : t);
    if (options.filter !== undefined) this.parseFilterString(options.filter);
    if (options.from !== undefined || options.until !== undefined) {
      if (options.from === undefined) throw new Error("'until' needs 'from'");
      this.addIntervalFilter(options.from, options.until ?? 0);
    }
    if (options.live) this.setLiveMode();
    if (options.ribPeriod !== undefined) this.addRibPeriodFilter(options.ribPeriod);
    if (options.workers !== undefined) {
      if (!Number.isInteger(options.workers) || options.workers < 0)
        throw new Error(`workers must be a whole number, not ${options.workers}`);
      this.workers = options.workers;
    }
    if (options.pollInterval !== undefined) {
      if (!(options.pollInterval > 0))
        throw new Error(`pollInterval must be positive, not ${options.pollInterval}`);
      this.pollSeconds = options.pollInterval;
    }
  }

  private configuring(what: string): void {
    if (this.state !== 'configuring') throw new Error(`${what}: the stream has already been started`);
  }

  /** `project`, `collector`, `router`, `record-type`, `peer-asn`, `not-peer-asn`, `origin-asn`, `prefix[-exact|-more|-less|-any]`, `community`, `aspath`, `ipversion`, `elemtype`. */
  addFilter(type: FilterType | string, value: string): void {
    this.configuring('addFilter');
    this.filters.addFilter(type, value);
    this.filterCalls.push(['filter', type, value]);
  }

  /** Parses a BGPStream filter string; on error nothing of it is applied. */
  parseFilterString(text: string): void {
    this.configuring('parseFilterString');
    this.filters.merge(parseFilterString(text));
    this.filterCalls.push(['string', text]);
  }

  /** `[start, stop]`, inclusive; stop 0 means open-ended and turns live mode on, as in BGPStream. */
  addIntervalFilter(start: TimeInput, stop: TimeInput = 0): void {
    this.configuring('addIntervalFilter');
    const begin = toUnixSeconds(start, 'interval start');
    const end = stop === 0 ? 0 : toUnixSeconds(stop, 'interval end');
    if (end !== 0 && begin > end) throw new Error(`interval ${begin},${end} ends before it starts`);
    this.interval = { begin, end };
    if (end === 0) this.live = true;
  }

  /** `"<n> <s|m|h|d>"`: the last n units; with `live` the end stays open. */
  addRecentIntervalFilter(text: string, live = false): void {
    this.configuring('addRecentIntervalFilter');
    const { begin, end } = parseRecentInterval(text, Math.floor(Date.now() / 1000));
    this.interval = { begin, end: live ? 0 : end };
    if (live) this.live = true;
  }

  addRibPeriodFilter(seconds: number): void {
    this.configuring('addRibPeriodFilter');
    if (!Number.isInteger(seconds) || seconds < 0)
      throw new Error(`RIB period '${seconds}' is not a whole number of seconds`);
    this.ribPeriod = seconds;
  }

  getDataInterfaces(): DataInterfaceType[] {
    return getDataInterfaceTypes();
  }

  setDataInterface(name: string): void {
    this.configuring('setDataInterface');
    this.diType = getDataInterfaceType(name);
  }

  getDataInterfaceOptions(name = this.diType.name): readonly DataInterfaceOptionSpec[] {
    return getDataInterfaceType(name).options;
  }

  /** Options are checked now (unknown names throw) and applied at `start()`. */
  setDataInterfaceOption(dataInterface: string, name: string, value: string): void {
    this.configuring('setDataInterfaceOption');
    const type = getDataInterfaceType(dataInterface);
    if (!type.options.some((o) => o.name === name)) {
      throw new Error(
        `data interface '${dataInterface}' has no option '${name}' (options: ${type.options.map((o) => o.name).join(', ')})`,
      );
    }
    const list = this.diOptions.get(dataInterface) ?? [];
    list.push([name, value]);
    this.diOptions.set(dataInterface, list);
  }

  /**
   * Keeps only the dumps for which `keep` is true, decided before they are
   * opened: an export uses it to pass over dumps its lake already holds.
   */
  addResourceFilter(keep: (resource: Resource) => boolean | Promise<boolean>): void {
    this.configuring('addResourceFilter');
    this.resourceFilters.push(keep);
  }

  setLiveMode(): void {
    this.configuring('setLiveMode');
    this.live = true;
  }

  get isLive(): boolean {
    return this.live;
  }

  /** Checks the configuration and makes the data interface; throws naming what is wrong. */
  start(): void {
    this.configuring('start');
    const di = this.diType.create();
    for (const [name, value] of this.diOptions.get(this.diType.name) ?? []) di.setOption(name, value);
    di.validate();
    this.di = di;
    this.ribPeriodFilter = new RibPeriodFilter(this.ribPeriod);
    const interval = this.interval ?? undefined;
    const filters = this.filters;
    // Peers no elem filter can let through are skipped inside the decoder, before their attributes.
    const peerFilter =
      filters.peerAsns.size > 0 || filters.notPeerAsns.size > 0
        ? (asn: number) => filters.peerCanPass(asn)
        : undefined;
    const pool = this.workers > 0 && filters.hasElemFilters ? new WorkerPool(this.workers) : undefined;
    this.pool = pool;
    this.merger = new RecordMerger((resource) =>
      pool && resource.format === 'mrt'
        ? pool.open(resource, this.interval, this.filterCalls, peerFilter)
        : this.filtered(
            resource,
            openResource(resource, { interval, signal: this.abort.signal, peerFilter }),
          ),
    );
    this.state = 'started';
  }

  /** The next record (of any status), or null at the end of the stream. */
  async getNextRecord(): Promise<BgpRecord | null> {
    if (this.state === 'configuring') this.start();
    this.recordIterator ??= this.recordsAfterStart();
    const next = await this.recordIterator.next();
    return next.done ? null : next.value;
  }

  /** Every record in time order, statuses other than `valid` included. */
  records(): AsyncIterableIterator<BgpRecord> {
    if (this.state === 'configuring') this.start();
    this.recordIterator ??= this.recordsAfterStart();
    const it = this.recordIterator;
    return {
      next: () => it.next(),
      return: async () => {
        await this.close();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /**
   * The records in time order as arrays (consecutive records of one dump):
   * the fastest way through a stream, with no promise per record. Do not mix
   * with `records()` or `getNextRecord()` on the same stream.
   */
  async *batches(): AsyncGenerator<BgpRecord[]> {
    if (this.state === 'configuring') this.start();
    try {
      yield* this.batchesAfterStart();
    } finally {
      await this.close();
    }
  }

  /** Every elem that passes the filters; `elem.record` is its record. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Elem> {
    try {
      for await (const record of this.records()) {
        for (const elem of record.elems) {
          elem.record = record;
          yield elem;
        }
      }
    } finally {
      await this.close();
    }
  }

  /** Stops reading and releases every file, process and socket. Safe to call twice. */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.abort.abort(new Error('stream closed'));
    await this.merger?.close();
    await this.pool?.close();
  }

  private query(): ResourceQuery {
    return {
      projects: this.filters.projects,
      collectors: this.filters.collectors,
      recordTypes: this.filters.recordTypes,
      interval: this.interval,
    };
  }

  private async *recordsAfterStart(): AsyncGenerator<BgpRecord> {
    for await (const batch of this.batchesAfterStart()) yield* batch;
  }

  private async *batchesAfterStart(): AsyncGenerator<BgpRecord[]> {
    const merger = this.merger!;
    const di = this.di!;
    let wait = this.pollSeconds;
    let polls = 0;
    while (this.state === 'started') {
      if (merger.idle || (this.live && polls === 0)) {
        const found = await this.wantedResources(await di.nextResources(this.query()));
        polls++;
        merger.add(found);
        if (found.length === 0 && merger.idle) {
          if (!this.live) return;
          // Live: nothing new yet. Wait, then ask again, backing off as BGPStream does (capped).
          await sleep(wait * 1000, this.abort.signal);
          if (polls > 10) wait = Math.min(wait * 2, Math.max(150, this.pollSeconds));
          continue;
        }
      }
      const run = await merger.nextRun();
      if (run.length === 0) continue;
      wait = this.pollSeconds;
      yield run;
    }
  }

  private async wantedResources(resources: Resource[]): Promise<Resource[]> {
    const out: Resource[] = [];
    for (const r of resources) {
      if (!this.ribPeriodFilter!.wanted(r)) continue;
      let keep = true;
      for (const f of this.resourceFilters) if (!(await f(r))) keep = false;
      if (keep) out.push(r);
    }
    return out;
  }

  /** Applies the record- and elem-level filters to one dump's batches. */
  private async *filtered(
    resource: Resource,
    batches: AsyncIterable<BgpRecord[]>,
  ): AsyncGenerator<BgpRecord[]> {
    const filters = this.filters;
    // MRT dumps carry no project/collector/router of their own: only the data interface filters those (as in BGPStream).
    const recordLevel = resource.format !== 'mrt';
    for await (const batch of batches) {
      let out = batch;
      if (recordLevel) out = out.filter((r) => filters.matchRecord(r));
      if (filters.hasElemFilters) {
        for (const record of out) {
          const elems = record.elems;
          let kept = 0;
          for (let i = 0; i < elems.length; i++) if (filters.matchElem(elems[i])) elems[kept++] = elems[i];
          elems.length = kept;
        }
      }
      if (out.length > 0) yield out;
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
