import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  type DataInterface,
  getDataInterfaceType,
  parseTime,
  type RecordType,
  type Resource,
  type ResourceQuery,
  type TimeInterval,
  UsageError,
} from '@bgpstream-ts/core';

/** What selects dumps: a data interface, its options, and the resource-level filters. */
export interface ResourceSourceConfig {
  /** Data interface name (`broker`, `archive`, `csvfile`, `sqlite`, `singlefile`, ...). */
  dataInterface: string;
  /** Its options, in order (`-o name=value`). */
  options?: readonly (readonly [string, string])[];
  projects?: readonly string[];
  collectors?: readonly string[];
  recordTypes?: readonly RecordType[];
  /** Dumps that may hold records in `[begin, end]` (end 0: open). Null: all. */
  interval?: TimeInterval | null;
  /** Whether the source keeps finding new dumps (live mode); informational for callers. */
  live?: boolean;
  /** At most one RIB dump per collector per this many seconds (bgpreader's -P). */
  ribPeriod?: number;
}

/**
 * Dumps from a data interface, as the stream would open them: each `next()` asks the data interface
 * for the dumps that appeared since the previous call (all of them the first time). Relative local
 * paths become absolute (a worker elsewhere must find them), and a `singlefile` dump is dated by the
 * file's modification time rather than the time it was listed, so listing it twice names the same dump.
 */
export class ResourceSource {
  readonly dataInterfaceName: string;
  readonly live: boolean;
  private readonly di: DataInterface;
  private readonly query: ResourceQuery;
  private readonly ribPeriod: number;
  private readonly lastRibKept = new Map<string, number>();

  constructor(config: ResourceSourceConfig) {
    const type = getDataInterfaceType(config.dataInterface);
    this.dataInterfaceName = type.name;
    this.di = type.create();
    for (const [name, value] of config.options ?? []) this.di.setOption(name, value);
    this.di.validate();
    this.query = {
      projects: new Set(config.projects ?? []),
      collectors: new Set(config.collectors ?? []),
      recordTypes: new Set(config.recordTypes ?? []),
      interval: config.interval ?? null,
    };
    this.live = config.live ?? false;
    this.ribPeriod = config.ribPeriod ?? 0;
  }

  /** The dumps found since the previous call. */
  async next(): Promise<Resource[]> {
    const out: Resource[] = [];
    for (const found of await this.di.nextResources(this.query)) {
      if (!this.ribWanted(found)) continue;
      out.push(await this.normalize(found));
    }
    return out;
  }

  private ribWanted(r: Resource): boolean {
    if (this.ribPeriod <= 0 || r.type !== 'rib') return true;
    const key = `${r.project}.${r.collector}`;
    const last = this.lastRibKept.get(key);
    if (last !== undefined && r.initialTime < last + this.ribPeriod) return false;
    this.lastRibKept.set(key, r.initialTime);
    return true;
  }

  private async normalize(r: Resource): Promise<Resource> {
    const local = !/^[a-z][a-z0-9+.-]*:\/\//i.test(r.url);
    const url = local ? path.resolve(r.url) : r.url;
    let initialTime = r.initialTime;
    if (this.dataInterfaceName === 'singlefile' && local) {
      try {
        initialTime = Math.floor((await stat(url)).mtimeMs / 1000);
      } catch {
        // Unreadable now: keep the listing time; the worker reports the file as it finds it.
      }
    }
    return { ...r, url, initialTime };
  }
}

/**
 * Stream options that choose elems inside a dump. The lake stores whole dumps (its manifest says
 * "this dump is in"), so ingestion refuses them rather than store a filtered dump as complete.
 */
const ELEM_LEVEL_OPTIONS: readonly [string, string][] = [
  ['filter', 'f'],
  ['router', 'R'],
  ['resource-type', 'T'],
  ['peer-asn', 'j'],
  ['not-peer-asn', 'J'],
  ['origin-asn', 'a'],
  ['prefix', 'k'],
  ['community', 'y'],
  ['aspath', 'A'],
];

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: unknown): string[] => (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []);
const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Prints a data interface's options (for `-o?`). */
function listOptions(name: string): void {
  const type = getDataInterfaceType(name);
  process.stderr.write(`Data interface options for '${type.name}':\n`);
  for (const opt of type.options) {
    const def = opt.defaultValue !== undefined ? ` (default: ${opt.defaultValue})` : '';
    process.stderr.write(`   ${opt.name.padEnd(14)} ${opt.description}${def}\n`);
  }
}

/**
 * The {@link ResourceSourceConfig} of parsed bgpreader stream options (`streamOptionSpec()` values):
 * -d, -o, -p, -c, -t, -w, -I, -l, -P, read as `buildStream` reads them. Returns 'listed' after
 * `-o?`. Throws a `UsageError` naming the option for elem-level filters and bad values.
 */
export function resourceConfigFromOptions(values: Record<string, unknown>): ResourceSourceConfig | 'listed' {
  for (const [long, short] of ELEM_LEVEL_OPTIONS) {
    if (values[long] !== undefined) {
      throw new UsageError(
        `-${short}/--${long} selects elems inside dumps; ingestion stores whole dumps (filter when you query the lake)`,
      );
    }
  }
  const dataInterface = str(values['data-interface']) ?? 'broker';
  const options: [string, string][] = [];
  for (const o of list(values['data-interface-option'])) {
    if (o === '?') {
      listOptions(dataInterface);
      return 'listed';
    }
    const eq = o.indexOf('=');
    if (eq <= 0) throw new UsageError(`data interface option '${o}' is not name=value`);
    options.push([o.slice(0, eq), o.slice(eq + 1)]);
  }
  const recordTypes: RecordType[] = [];
  for (const t of list(values['record-type'])) {
    if (t === 'ribs' || t === 'rib') recordTypes.push('rib');
    else if (t === 'updates' || t === 'update') recordTypes.push('update');
    else throw new UsageError(`record type '${t}' is not ribs or updates`);
  }
  let live = values.live === true;
  let interval: TimeInterval | null = null;
  const window = str(values['time-window']);
  const recent = str(values.interval);
  if (window !== undefined) {
    const [startText, endText] = window.split(',', 2);
    const begin = parseTime(startText);
    if (begin === undefined) throw new UsageError(`bad start time in '${window}'`);
    const end = endText === undefined ? 0 : parseTime(endText);
    if (end === undefined) throw new UsageError(`bad end time in '${window}'`);
    if (end !== 0 && begin > end) throw new UsageError(`time window '${window}' ends before it starts`);
    // A start of 0 means no window, as in bgpreader; an open end means live.
    if (begin !== 0) {
      interval = { begin, end };
      if (end === 0) live = true;
    }
  }
  if (recent !== undefined) {
    const m = /^\s*(\d+)\s*([smhd])\s*$/.exec(recent);
    if (!m) throw new UsageError(`recent interval '${recent}' is not '<n> <s|m|h|d>'`);
    const now = Math.floor(Date.now() / 1000);
    interval = { begin: now - Number(m[1]) * UNITS[m[2]], end: live ? 0 : now };
  }
  if (interval === null && dataInterface === 'broker') {
    process.stderr.write('WARN: No time window specified, defaulting to live mode\n');
    interval = { begin: Math.floor(Date.now() / 1000), end: 0 };
    live = true;
  }
  let ribPeriod = 0;
  const period = str(values['rib-period']);
  if (period !== undefined) {
    if (!/^\d+$/.test(period))
      throw new UsageError(`RIB period '${period}' is not a whole number of seconds`);
    ribPeriod = Number(period);
  }
  return {
    dataInterface,
    options,
    projects: list(values.project),
    collectors: list(values.collector),
    recordTypes,
    interval,
    live,
    ribPeriod,
  };
}

/** A {@link ResourceSource} from parsed stream options, or 'listed' after `-o?`. */
export function resourceSourceFromOptions(values: Record<string, unknown>): ResourceSource | 'listed' {
  const config = resourceConfigFromOptions(values);
  return config === 'listed' ? config : new ResourceSource(config);
}
