import { accessSync, createWriteStream, constants as fsConstants } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { USER_AGENT } from '../io/http.js';
import type { RecordType } from '../model/record.js';
import { checkOptionName, type DataInterface, type DataInterfaceType } from './data-interface.js';
import type { Resource, ResourceFormat, ResourceQuery } from './resource.js';

export const DEFAULT_BROKER_URL = 'https://broker.bgpstream.caida.org/v2';
/** The reference builds the request in a 4096-byte buffer; a longer URL is refused before sending. */
export const MAX_BROKER_URL_LENGTH = 4096;
const MAX_PARAMS = 100;
const DEFAULT_RETRIES = 8;
const DEFAULT_MAX_WAIT_SECONDS = 60;
/** One broker request (metadata, small) that takes longer than this counts as a failed try. */
const REQUEST_TIMEOUT_MS = 120_000;
/** Returned resources are remembered (to drop repeats) until they end this long before `minInitialTime`. */
const DEDUP_HORIZON = 86_400;
/** How many dumps are downloaded into the cache at once. */
const DOWNLOAD_CONCURRENCY = 4;

export const brokerType: DataInterfaceType = {
  name: 'broker',
  description: 'Retrieve metadata information from the BGPStream Broker service',
  options: [
    { name: 'url', description: 'Broker URL', defaultValue: DEFAULT_BROKER_URL },
    {
      name: 'param',
      description: `Additional Broker GET parameter, key=value (repeatable, up to ${MAX_PARAMS})`,
    },
    { name: 'cache-dir', description: 'Enable local cache at provided directory (must exist)' },
    {
      name: 'retries',
      description: 'retries of a failed broker request or cache download before giving up',
      defaultValue: String(DEFAULT_RETRIES),
    },
    {
      name: 'max-wait',
      description: 'longest wait between tries, in seconds (the waits are 1, 2, 4, ... s)',
      defaultValue: String(DEFAULT_MAX_WAIT_SECONDS),
    },
  ],
  create: () => new BrokerDataInterface(),
};

/**
 * A `ResourceQuery` may carry router names for the broker (`routers[]`); the shared query type has
 * no such field, so only callers that know the broker set it.
 */
export interface BrokerQuery extends ResourceQuery {
  routers?: ReadonlySet<string>;
}

/** One validated entry of a v2 response's `data.resources`. */
export interface BrokerResource {
  url: string;
  project: string;
  collector: string;
  type: 'ribs' | 'updates';
  initialTime: number;
  duration: number;
  transport: 'file' | 'http' | 'kafka';
  format: ResourceFormat;
  kafkaTopics?: string;
}

export interface BrokerResponse {
  /** The response's `time`: the next request's `dataAddedSince`. */
  time: number;
  resources: BrokerResource[];
}

/** What the next request appends after the first call: each only when non-zero. */
export interface BrokerPollState {
  dataAddedSince: number;
  minInitialTime: number;
}

/**
 * `<url>/data?` + projects[], collectors[], routers[], types[], each `param`, intervals[], then
 * (after the first call) dataAddedSince and minInitialTime, in the reference's order. Nothing is
 * URL-encoded and `[]` is literal, as in the reference; set members come out in insertion order.
 */
export function brokerRequestUrl(
  baseUrl: string,
  query: BrokerQuery,
  params: readonly string[],
  state: BrokerPollState = { dataAddedSince: 0, minInitialTime: 0 },
): string {
  const parts: string[] = [];
  for (const p of query.projects) parts.push(`projects[]=${p}`);
  for (const c of query.collectors) parts.push(`collectors[]=${c}`);
  for (const r of query.routers ?? []) parts.push(`routers[]=${r}`);
  for (const t of query.recordTypes) parts.push(`types[]=${t === 'rib' ? 'ribs' : 'updates'}`);
  parts.push(...params);
  if (query.interval) parts.push(`intervals[]=${query.interval.begin},${query.interval.end}`);
  if (state.dataAddedSince !== 0) parts.push(`dataAddedSince=${state.dataAddedSince}`);
  if (state.minInitialTime !== 0) parts.push(`minInitialTime=${state.minInitialTime}`);
  const base = `${baseUrl.replace(/\/+$/, '')}/data`;
  return parts.length === 0 ? base : `${base}?${parts.join('&')}`;
}

const ROOT_KEYS = new Set(['version', 'time', 'type', 'error', 'queryParameters', 'data']);
const RESOURCE_KEYS = new Set([
  'url',
  'project',
  'collector',
  'type',
  'initialTime',
  'duration',
  'transport',
  'format',
  'attr',
]);
const REQUIRED_RESOURCE_KEYS = [
  'url',
  'project',
  'collector',
  'type',
  'initialTime',
  'duration',
  'transport',
  'format',
] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isSeconds(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/**
 * Parses and validates a v2 response body as the reference does (3.2): unknown root or resource
 * keys, a `version` other than 2, a `type` other than "data", a non-null `error`, a missing `time`
 * or a resource without a required field are errors. Throws `BrokerResponseError`.
 */
export function parseBrokerResponse(body: string): BrokerResponse {
  if (body.trim() === '') throw new BrokerResponseError('empty response');
  let root: unknown;
  try {
    root = JSON.parse(body);
  } catch (err) {
    throw new BrokerResponseError(`invalid JSON: ${(err as Error).message}`);
  }
  if (!isObject(root)) throw new BrokerResponseError('the response is not a JSON object');
  let time: number | undefined;
  let resources: BrokerResource[] = [];
  for (const [key, value] of Object.entries(root)) {
    if (!ROOT_KEYS.has(key)) throw new BrokerResponseError(`unknown key "${key}" in the response`);
    switch (key) {
      case 'version':
        if (value !== 2) throw new BrokerResponseError(`unsupported version ${JSON.stringify(value)}`);
        break;
      case 'time':
        if (!isSeconds(value))
          throw new BrokerResponseError(`"time" is not a time: ${JSON.stringify(value)}`);
        time = value;
        break;
      case 'type':
        if (value !== 'data') throw new BrokerResponseError(`"type" is ${JSON.stringify(value)}, not "data"`);
        break;
      case 'error':
        if (value !== null) throw new BrokerResponseError(`broker error: ${JSON.stringify(value)}`);
        break;
      case 'queryParameters':
        if (!isObject(value)) throw new BrokerResponseError('"queryParameters" is not an object');
        break;
      case 'data':
        resources = parseData(value);
        break;
    }
  }
  if (time === undefined) throw new BrokerResponseError('the response has no "time"');
  return { time, resources };
}

function parseData(data: unknown): BrokerResource[] {
  if (!isObject(data)) throw new BrokerResponseError('"data" is not an object');
  const out: BrokerResource[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (key !== 'resources') throw new BrokerResponseError(`unknown key "data.${key}" in the response`);
    if (!Array.isArray(value)) throw new BrokerResponseError('"data.resources" is not an array');
    value.forEach((r, i) => {
      out.push(parseResource(r, i));
    });
  }
  return out;
}

function parseResource(r: unknown, index: number): BrokerResource {
  const bad = (why: string) => new BrokerResponseError(`invalid resource record #${index}: ${why}`);
  if (!isObject(r)) throw bad('not an object');
  for (const key of Object.keys(r)) if (!RESOURCE_KEYS.has(key)) throw bad(`unknown key "${key}"`);
  for (const key of REQUIRED_RESOURCE_KEYS) if (!(key in r)) throw bad(`missing "${key}"`);
  const str = (key: string): string => {
    const v = r[key];
    if (typeof v !== 'string') throw bad(`"${key}" is not a string`);
    return v;
  };
  const url = str('url');
  if (url === '') throw bad('"url" is empty');
  const type = str('type');
  if (type !== 'ribs' && type !== 'updates') throw bad(`"type" is "${type}", not "ribs" or "updates"`);
  const transport = str('transport');
  if (transport !== 'file' && transport !== 'http' && transport !== 'kafka') {
    throw bad(`"transport" is "${transport}", not "file", "http" or "kafka"`);
  }
  const format = str('format');
  if (format !== 'mrt' && format !== 'bmp' && format !== 'ris-live') {
    throw bad(`"format" is "${format}", not "mrt", "ris-live" or "bmp"`);
  }
  const { initialTime, duration } = r;
  if (!isSeconds(initialTime)) throw bad(`"initialTime" is not a time: ${JSON.stringify(initialTime)}`);
  if (!isSeconds(duration)) throw bad(`"duration" is not a number of seconds: ${JSON.stringify(duration)}`);
  const out: BrokerResource = {
    url,
    project: str('project'),
    collector: str('collector'),
    type,
    initialTime,
    duration,
    transport,
    format,
  };
  if ('attr' in r) {
    const attr = r.attr;
    if (!isObject(attr)) throw bad('"attr" is not an object');
    for (const [key, value] of Object.entries(attr)) {
      if (key !== 'kafka-topics') throw bad(`unknown key "attr.${key}"`);
      if (typeof value !== 'string') throw bad('"attr.kafka-topics" is not a string');
      out.kafkaTopics = value;
    }
  }
  return out;
}

export class BrokerResponseError extends Error {}

/** Errors that no retry can fix (bad configuration). */
class PermanentError extends Error {}

export interface RetryPolicy {
  /** Retries after the first try (default 8). */
  retries?: number;
  /** Longest wait between tries, in seconds (default 60). The waits are 1, 2, 4, ... s. */
  maxWaitSeconds?: number;
  /** Called with a message before each retry. */
  onWarning?: (message: string) => void;
}

/** Runs `attempt` until it succeeds or the tries run out; then throws naming `what` and the last failure. */
async function withRetries<T>(what: string, policy: RetryPolicy, attempt: () => Promise<T>): Promise<T> {
  const retries = policy.retries ?? DEFAULT_RETRIES;
  const maxWaitMs = (policy.maxWaitSeconds ?? DEFAULT_MAX_WAIT_SECONDS) * 1000;
  let waitMs = 1000;
  let last: unknown;
  for (let tryNo = 0; ; tryNo++) {
    try {
      return await attempt();
    } catch (err) {
      if (err instanceof PermanentError) throw err;
      last = err;
    }
    if (tryNo >= retries) break;
    const wait = Math.min(waitMs, maxWaitMs);
    policy.onWarning?.(
      `${what} failed (${describe(last)}); retry ${tryNo + 1} of ${retries} in ${wait / 1000} s`,
    );
    await new Promise((r) => setTimeout(r, wait));
    waitMs *= 2;
  }
  throw new Error(`giving up on ${what} after ${retries + 1} tries; last failure: ${describe(last)}`, {
    cause: last,
  });
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
    return `${err.message}${cause}`;
  }
  return String(err);
}

async function fetchBrokerResponse(url: string): Promise<BrokerResponse> {
  const response = await fetch(url, {
    headers: { 'user-agent': USER_AGENT },
    redirect: 'follow',
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const body = await response.text();
  if (!response.ok) {
    throw new Error(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  }
  return parseBrokerResponse(body);
}

/**
 * `broker`: asks the BGPStream broker (HTTP API v2) which dumps cover the query.
 *
 * Differences from the reference (libbgpstream 2.3.0):
 * - Failed requests are retried a bounded number of times (`retries`, default 8) with waits of
 *   1, 2, 4, ... s capped at `max-wait` (default 60 s), then `nextResources` throws naming the URL
 *   and the last failure. The reference retries forever, with waits up to 1024 s.
 * - A response is validated completely before any of its resources is used, so a response that is
 *   retried (invalid resource, broken body) never duplicates resources; the reference pushes the
 *   resources before the bad one, then again from the retry. A resource (same URL, type and
 *   initial time) already returned by an earlier call is not returned again either (remembered
 *   until `minInitialTime` is a day past its end).
 * - The poll state (`dataAddedSince`, `minInitialTime`) only advances when a call succeeds.
 * - Without a time interval `nextResources` throws at once; the reference sends the request
 *   anyway, the broker answers with an error and the reference retries forever.
 * - Kafka resources are always skipped with a warning (counted in `kafkaSkipped`), as the reference
 *   does when built without Kafka; so there are no `kafka-group`/`kafka-offset` options.
 * - The cache keeps the dump's own bytes (the reference stores a zlib-compressed copy; our readers
 *   detect gzip/bzip2 by content). It is filled by `nextResources` itself (through `ensureCached`,
 *   four downloads at a time), which returns the local path only once the file is complete: the
 *   stream opens `resource.url` as it is and has no hook to download on open, so handing out a path
 *   to a file not yet downloaded would fail, and handing out the http URL would bypass the cache.
 *   The cost: the call waits for the downloads. The reference downloads when it opens the file.
 * - Set members (projects, collectors, types) are sent in insertion order, not hash-set order;
 *   a trailing `/` of `url` is dropped before `/data` is appended.
 */
export class BrokerDataInterface implements DataInterface {
  readonly name = 'broker';
  /** Kafka resources skipped so far. */
  kafkaSkipped = 0;
  /** Where warnings go (skipped resources, retries); stderr by default. */
  onWarning: (message: string) => void = (m) => process.stderr.write(`WARN: broker: ${m}\n`);

  private baseUrl = DEFAULT_BROKER_URL;
  private readonly params: string[] = [];
  private cacheDir: string | null = null;
  private retries = DEFAULT_RETRIES;
  private maxWaitSeconds = DEFAULT_MAX_WAIT_SECONDS;
  private state: BrokerPollState = { dataAddedSince: 0, minInitialTime: 0 };
  /** Key -> end time of every resource returned, forgotten a day after `minInitialTime` passes its end. */
  private readonly returned = new Map<string, number>();

  setOption(name: string, value: string): void {
    checkOptionName(brokerType, name);
    switch (name) {
      case 'url':
        if (!/^https?:\/\/./i.test(value))
          throw new Error(`broker option 'url': '${value}' is not an http(s) URL`);
        this.baseUrl = value;
        break;
      case 'param':
        if (this.params.length >= MAX_PARAMS) {
          throw new Error(`broker option 'param': at most ${MAX_PARAMS} parameters can be given`);
        }
        if (value === '') throw new Error("broker option 'param' needs a key=value value");
        this.params.push(value);
        break;
      case 'cache-dir':
        try {
          accessSync(value, fsConstants.R_OK | fsConstants.W_OK | fsConstants.X_OK);
        } catch (err) {
          throw new Error(`broker option 'cache-dir': cannot use '${value}' (${(err as Error).message})`);
        }
        this.cacheDir = value;
        break;
      case 'retries':
        if (!/^\d+$/.test(value))
          throw new Error(`broker option 'retries': '${value}' is not a whole number`);
        this.retries = Number(value);
        break;
      case 'max-wait': {
        const n = Number(value);
        if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
          throw new Error(`broker option 'max-wait': '${value}' is not a number of seconds`);
        }
        this.maxWaitSeconds = n;
        break;
      }
    }
  }

  validate(): void {
    // Every option has a usable default.
  }

  async nextResources(query: ResourceQuery): Promise<Resource[]> {
    if (!query.interval) {
      throw new Error('broker: a time interval is required (the broker refuses queries without one)');
    }
    const url = brokerRequestUrl(this.baseUrl, query, this.params, this.state);
    if (url.length > MAX_BROKER_URL_LENGTH) {
      throw new Error(
        `broker: the request URL is longer than ${MAX_BROKER_URL_LENGTH} bytes: ${url.slice(0, 200)}...`,
      );
    }
    const policy = this.retryPolicy();
    const response = await withRetries(url, policy, () => fetchBrokerResponse(url));

    let minInitialTime = this.state.minInitialTime;
    const fresh: { resource: Resource; key: string; end: number; cache: boolean }[] = [];
    const keys = new Set<string>();
    for (const r of response.resources) {
      if (r.transport === 'kafka') {
        this.kafkaSkipped++;
        this.onWarning(
          `skipping Kafka resource ${r.url} (${r.project}/${r.collector}): Kafka is not supported here`,
        );
        continue;
      }
      const type: RecordType = r.type === 'ribs' ? 'rib' : 'update';
      const resource: Resource = {
        url: r.url,
        format: r.format,
        project: r.project,
        collector: r.collector,
        type,
        initialTime: r.initialTime,
        duration: r.duration,
      };
      const end = r.initialTime + r.duration;
      const isFile = r.transport === 'file';
      if (isFile) minInitialTime = Math.max(minInitialTime, end);
      const key = `${r.type}|${r.initialTime}|${r.url}`;
      if (this.returned.has(key) || keys.has(key)) continue;
      keys.add(key);
      fresh.push({ resource, key, end, cache: isFile && this.cacheDir !== null && isHttpUrl(r.url) });
    }

    if (this.cacheDir !== null) {
      const cacheDir = this.cacheDir;
      await forEachLimited(
        fresh.filter((f) => f.cache),
        DOWNLOAD_CONCURRENCY,
        async (f) => {
          if (!isSafeCacheName(f.resource)) {
            this.onWarning(`not caching ${f.resource.url}: its project or collector is not a safe file name`);
            return;
          }
          f.resource.url = await ensureCached(f.resource, cacheDir, policy);
        },
      );
    }

    // Only a complete success moves the poll state on.
    this.state = { dataAddedSince: response.time, minInitialTime };
    for (const f of fresh) this.returned.set(f.key, f.end);
    for (const [key, end] of this.returned)
      if (end < minInitialTime - DEDUP_HORIZON) this.returned.delete(key);
    return fresh.map((f) => f.resource);
  }

  private retryPolicy(): RetryPolicy {
    return { retries: this.retries, maxWaitSeconds: this.maxWaitSeconds, onWarning: this.onWarning };
  }
}

function isHttpUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

function isSafeCacheName(r: Resource): boolean {
  return SAFE_NAME.test(r.project) && SAFE_NAME.test(r.collector);
}

/** `<cache-dir>/<project>.<collector>.<ribs|updates>.<initialTime>.<duration>.cache`, as in the reference. */
export function cachePath(resource: Resource, cacheDir: string): string {
  if (!isSafeCacheName(resource)) {
    throw new Error(`cannot cache ${resource.url}: project or collector is not a safe file name`);
  }
  const type = resource.type === 'rib' ? 'ribs' : 'updates';
  return path.join(
    cacheDir,
    `${resource.project}.${resource.collector}.${type}.${resource.initialTime}.${resource.duration}.cache`,
  );
}

export interface CacheOptions extends RetryPolicy {
  /** How often a waiter checks a lock held by another downloader (default 200 ms). */
  lockPollMs?: number;
  /** A lock whose lock and temp files have not changed for this long is taken over (default 10 min). */
  staleLockMs?: number;
}

const inFlight = new Map<string, Promise<string>>();

/**
 * Makes sure the dump of `resource` (an http(s) URL) is in `cacheDir` and returns the local path;
 * other URLs are returned as they are. The file is downloaded once, as stored (no recompression),
 * into `<file>.temp` and renamed into place when complete, so a reader never sees a partial file.
 * Downloaders exclude each other with an exclusive-create `<file>.lock`: a waiter polls until the
 * file appears or the lock goes; a lock left by a dead process on this host, or one with no progress
 * for `staleLockMs`, is removed. On failure the temp file is removed and the error is thrown after
 * the retries of `options`.
 */
export function ensureCached(
  resource: Resource,
  cacheDir: string,
  options: CacheOptions = {},
): Promise<string> {
  if (!isHttpUrl(resource.url)) return Promise.resolve(resource.url);
  let file: string;
  try {
    file = cachePath(resource, cacheDir);
  } catch (err) {
    return Promise.reject(err);
  }
  const running = inFlight.get(file);
  if (running) return running;
  const job = fillCache(resource.url, file, options).finally(() => inFlight.delete(file));
  inFlight.set(file, job);
  return job;
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

async function fillCache(url: string, file: string, options: CacheOptions): Promise<string> {
  const lock = `${file}.lock`;
  const temp = `${file}.temp`;
  const pollMs = options.lockPollMs ?? 200;
  await mkdir(path.dirname(file), { recursive: true });
  for (;;) {
    if (await exists(file)) return file;
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(lock, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (await lockIsStale(lock, temp, options.staleLockMs ?? 600_000)) {
        options.onWarning?.(`removing stale cache lock ${lock}`);
        await rm(lock, { force: true });
      } else {
        await new Promise((r) => setTimeout(r, pollMs));
      }
      continue;
    }
    try {
      await handle.writeFile(`${process.pid}@${hostname()}\n`);
      await handle.close();
      // Another downloader may have finished between our check and our lock.
      if (await exists(file)) return file;
      await withRetries(`download of ${url}`, options, () => download(url, temp));
      await rename(temp, file);
      return file;
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    } finally {
      await handle.close().catch(() => {});
      await rm(lock, { force: true });
    }
  }
}

async function lockIsStale(lock: string, temp: string, staleMs: number): Promise<boolean> {
  try {
    const owner = (await readFile(lock, 'utf8')).trim();
    const m = /^(\d+)@(.*)$/.exec(owner);
    if (m && m[2] === hostname() && !processAlive(Number(m[1]))) return true;
    const times = [(await stat(lock)).mtimeMs];
    try {
      times.push((await stat(temp)).mtimeMs);
    } catch {
      // no temp file yet
    }
    return Date.now() - Math.max(...times) > staleMs;
  } catch {
    return false; // the lock went away meanwhile: the caller looks again
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function download(url: string, temp: string): Promise<void> {
  const response = await fetch(url, {
    headers: { 'user-agent': USER_AGENT, 'accept-encoding': 'identity' },
    redirect: 'follow',
  });
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => {});
    throw new Error(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  }
  await pipeline(
    Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>),
    createWriteStream(temp),
  );
  const expected = response.headers.get('content-length');
  if (expected !== null && !response.headers.get('content-encoding')) {
    const size = (await stat(temp)).size;
    if (size !== Number(expected)) throw new Error(`truncated download: ${size} of ${expected} bytes`);
  }
}

async function forEachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
