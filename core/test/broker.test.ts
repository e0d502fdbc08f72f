import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type BrokerDataInterface,
  type BrokerQuery,
  brokerRequestUrl,
  brokerType,
  cachePath,
  ensureCached,
  parseBrokerResponse,
} from '../src/datainterfaces/broker.js';
import { getDataInterfaceType } from '../src/datainterfaces/index.js';
import type { Resource } from '../src/datainterfaces/resource.js';
import { emptyQuery } from '../src/datainterfaces/resource.js';
import { samplesDir } from './helpers/samples.js';

const SAMPLE_DIR = path.join(samplesDir, 'libbgpstream');
const RIS_FILE = 'ris.rrc06.updates.1427846400.gz';
const JINX_FILE = 'routeviews.route-views.jinx.updates.1427846400.bz2';
const haveDumps = existsSync(path.join(SAMPLE_DIR, RIS_FILE)) && existsSync(path.join(SAMPLE_DIR, JINX_FILE));
const T = 1427846400;

interface Reply {
  status?: number;
  body: string;
  /** Send the headers and a part of the body, then drop the connection. */
  breakBody?: boolean;
}

let server: Server;
let base = '';
/** Raw request paths of /data requests, in order. */
let dataRequests: string[] = [];
let userAgents: string[] = [];
/** Requests per dump file. */
let dumpRequests = new Map<string, number>();
let dumpStatus = 200;
let replies: (Reply | ((req: URL) => Reply))[] = [];

function serveDump(name: string, res: ServerResponse): void {
  dumpRequests.set(name, (dumpRequests.get(name) ?? 0) + 1);
  const file = path.join(SAMPLE_DIR, name);
  if (dumpStatus !== 200 || !existsSync(file)) {
    res.writeHead(dumpStatus === 200 ? 404 : dumpStatus).end('no such dump');
    return;
  }
  const bytes = readFileSync(file);
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
  res.end(bytes);
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const raw = req.url ?? '/';
  if (raw.startsWith('/dumps/')) {
    serveDump(raw.slice('/dumps/'.length), res);
    return;
  }
  dataRequests.push(raw);
  userAgents.push(String(req.headers['user-agent']));
  // The last reply repeats once the list runs out.
  const next = replies.length > 1 ? replies.shift() : replies[0];
  const reply = typeof next === 'function' ? next(new URL(raw, base)) : next;
  if (!reply) {
    res.writeHead(500).end('no reply configured');
    return;
  }
  if (reply.breakBody) {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': reply.body.length + 100 });
    res.write(reply.body.slice(0, 10));
    setTimeout(() => res.destroy(), 5);
    return;
  }
  res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
  res.end(reply.body);
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  dataRequests = [];
  userAgents = [];
  dumpRequests = new Map();
  dumpStatus = 200;
  replies = [];
});

/** A v2 resource object for one of the sample dumps (or any made-up name). */
function res(
  file: string,
  fields: Partial<Record<string, unknown>> = {},
): Record<string, unknown> & { initialTime: number; duration: number } {
  const ris = file.startsWith('ris.');
  return {
    url: `${base}/dumps/${file}`,
    project: ris ? 'ris' : 'routeviews',
    collector: ris ? 'rrc06' : 'route-views.jinx',
    type: file.includes('.ribs.') ? 'ribs' : 'updates',
    initialTime: T,
    duration: ris ? 300 : 900,
    transport: 'file',
    format: 'mrt',
    ...fields,
  } as Record<string, unknown> & { initialTime: number; duration: number };
}

/** A v2 response body; every `/` is sent as `\/`, as the real broker does. */
function v2(resources: unknown[], time = 1500000000, root: Record<string, unknown> = {}): string {
  return JSON.stringify({
    version: 2,
    time,
    type: 'data',
    error: null,
    queryParameters: { intervals: ['x'] },
    data: { resources },
    ...root,
  }).replaceAll('/', '\\/');
}

function query(fields: Partial<BrokerQuery> = {}): BrokerQuery {
  return { ...emptyQuery(), interval: { begin: T, end: T + 600 }, ...fields };
}

function broker(options: Record<string, string | string[]> = {}): {
  di: BrokerDataInterface;
  warnings: string[];
} {
  const di = brokerType.create() as BrokerDataInterface;
  const warnings: string[] = [];
  di.onWarning = (m) => warnings.push(m);
  di.setOption('url', base);
  di.setOption('max-wait', '0.01');
  for (const [name, value] of Object.entries(options)) {
    for (const v of Array.isArray(value) ? value : [value]) di.setOption(name, v);
  }
  di.validate();
  return { di, warnings };
}

describe('broker options', () => {
  it('is registered as the reference names it, with its options and defaults', () => {
    const type = getDataInterfaceType('broker');
    expect(type.description).toBe('Retrieve metadata information from the BGPStream Broker service');
    expect(type.options.map((o) => [o.name, o.defaultValue])).toEqual([
      ['url', 'https://broker.bgpstream.caida.org/v2'],
      ['param', undefined],
      ['cache-dir', undefined],
      ['retries', '8'],
      ['max-wait', '60'],
    ]);
  });

  it('rejects unknown options and bad values, naming the option', () => {
    const di = brokerType.create();
    expect(() => di.setOption('kafka-group', 'x')).toThrow(/no option 'kafka-group'/);
    expect(() => di.setOption('url', 'ftp://x')).toThrow(/'url'/);
    expect(() => di.setOption('retries', '-1')).toThrow(/'retries'/);
    expect(() => di.setOption('max-wait', 'soon')).toThrow(/'max-wait'/);
    expect(() => di.setOption('cache-dir', '/nonexistent/cache/dir')).toThrow(/'cache-dir'.*nonexistent/);
    expect(() => di.setOption('param', '')).toThrow(/'param'/);
  });

  it('takes up to 100 param values', () => {
    const di = brokerType.create();
    for (let i = 0; i < 100; i++) di.setOption('param', `k${i}=v`);
    expect(() => di.setOption('param', 'k100=v')).toThrow(/at most 100/);
  });
});

describe('broker request URL', () => {
  it('puts the parameters in the reference order, unencoded', () => {
    const url = brokerRequestUrl('https://b.example/v2/', query({ routers: new Set(['r1']) }), ['a=b'], {
      dataAddedSince: 0,
      minInitialTime: 0,
    });
    expect(url).toBe(`https://b.example/v2/data?routers[]=r1&a=b&intervals[]=${T},${T + 600}`);
  });

  it('sends end 0 when live and appends dataAddedSince / minInitialTime only when non-zero', () => {
    const q = query({ interval: { begin: T, end: 0 } });
    expect(brokerRequestUrl('http://b', q, [], { dataAddedSince: 5, minInitialTime: 0 })).toBe(
      `http://b/data?intervals[]=${T},0&dataAddedSince=5`,
    );
    expect(brokerRequestUrl('http://b', q, [], { dataAddedSince: 0, minInitialTime: 7 })).toBe(
      `http://b/data?intervals[]=${T},0&minInitialTime=7`,
    );
    expect(brokerRequestUrl('http://b', { ...q, interval: null }, [])).toBe('http://b/data');
  });
});

describe.skipIf(!haveDumps)('broker against a local v2 server', () => {
  if (!haveDumps) it.skip(`sample dumps not found in ${SAMPLE_DIR}: skipping`, () => {});

  it('sends the configured query in the reference order and maps the v2 resources', async () => {
    replies = [{ body: v2([res(JINX_FILE), res(RIS_FILE)]) }];
    const { di } = broker({ param: ['foo=bar', 'x[]=1'] });
    const q = query({
      projects: new Set(['routeviews', 'ris']),
      collectors: new Set(['route-views.jinx', 'rrc06']),
      routers: new Set(['rtr1']),
      recordTypes: new Set(['rib', 'update']),
    });
    const got = await di.nextResources(q);
    expect(dataRequests).toEqual([
      '/data?projects[]=routeviews&projects[]=ris&collectors[]=route-views.jinx&collectors[]=rrc06' +
        `&routers[]=rtr1&types[]=ribs&types[]=updates&foo=bar&x[]=1&intervals[]=${T},${T + 600}`,
    ]);
    expect(userAgents).toEqual(['bgpstream-ts']);
    expect(got).toEqual<Resource[]>([
      {
        url: `${base}/dumps/${JINX_FILE}`,
        format: 'mrt',
        project: 'routeviews',
        collector: 'route-views.jinx',
        type: 'update',
        initialTime: T,
        duration: 900,
      },
      {
        url: `${base}/dumps/${RIS_FILE}`,
        format: 'mrt',
        project: 'ris',
        collector: 'rrc06',
        type: 'update',
        initialTime: T,
        duration: 300,
      },
    ]);
  });

  it('throws at once, without a request, when the query has no interval', async () => {
    const { di } = broker();
    await expect(di.nextResources(emptyQuery())).rejects.toThrow(/time interval is required/);
    expect(dataRequests).toEqual([]);
  });

  it('pages through an interval with minInitialTime until the broker has nothing more', async () => {
    // Six 15-minute update dumps; the server answers at most two per request, from minInitialTime on.
    const all = Array.from({ length: 6 }, (_, i) =>
      res(JINX_FILE, { initialTime: T + 900 * i, url: `${base}/dumps/jinx.${i}.bz2` }),
    );
    replies = [
      (url) => {
        const min = Number(url.searchParams.get('minInitialTime') ?? 0);
        return { body: v2(all.filter((r) => r.initialTime >= min).slice(0, 2), 1600000000) };
      },
    ];
    const { di } = broker();
    const q = query({ interval: { begin: T, end: T + 6 * 900 } });
    const pages: number[][] = [];
    for (;;) {
      const page = await di.nextResources(q);
      if (page.length === 0) break;
      pages.push(page.map((r) => r.initialTime));
    }
    expect(pages).toEqual([
      [T, T + 900],
      [T + 1800, T + 2700],
      [T + 3600, T + 4500],
    ]);
    const interval = `intervals[]=${T},${T + 5400}`;
    expect(dataRequests).toEqual([
      `/data?${interval}`,
      `/data?${interval}&dataAddedSince=1600000000&minInitialTime=${T + 1800}`,
      `/data?${interval}&dataAddedSince=1600000000&minInitialTime=${T + 3600}`,
      `/data?${interval}&dataAddedSince=1600000000&minInitialTime=${T + 5400}`,
    ]);
  });

  it('live: a later call carries dataAddedSince and minInitialTime and gets only new resources', async () => {
    // The server's catalogue, with the time each dump was added.
    const catalogue = [
      { added: 100, r: res(RIS_FILE) },
      { added: 110, r: res(JINX_FILE) },
    ];
    let clock = 120;
    replies = [
      (url) => {
        const since = Number(url.searchParams.get('dataAddedSince') ?? 0);
        const fresh = catalogue.filter((c) => c.added > since).map((c) => c.r);
        return { body: v2(fresh, clock) };
      },
    ];
    const { di } = broker();
    const q = query({ interval: { begin: T, end: 0 } });
    const first = await di.nextResources(q);
    expect(first.map((r) => r.collector)).toEqual(['rrc06', 'route-views.jinx']);

    clock = 130;
    catalogue.push({
      added: 125,
      r: res(JINX_FILE, { initialTime: T + 900, url: `${base}/dumps/jinx.next.bz2` }),
    });
    const second = await di.nextResources(q);
    expect(second.map((r) => [r.collector, r.initialTime])).toEqual([['route-views.jinx', T + 900]]);

    clock = 140;
    expect(await di.nextResources(q)).toEqual([]);
    expect(dataRequests).toEqual([
      `/data?intervals[]=${T},0`,
      `/data?intervals[]=${T},0&dataAddedSince=120&minInitialTime=${T + 900}`,
      `/data?intervals[]=${T},0&dataAddedSince=130&minInitialTime=${T + 1800}`,
    ]);
  });

  it('skips Kafka resources with a warning and keeps the bmp and ris-live formats', async () => {
    replies = [
      {
        body: v2([
          res(RIS_FILE, {
            transport: 'kafka',
            url: 'kafka.example:9092',
            attr: { 'kafka-topics': 'openbmp.bmp_raw' },
          }),
          res(RIS_FILE, { format: 'bmp', url: `${base}/dumps/a.bmp` }),
          res(RIS_FILE, {
            format: 'ris-live',
            transport: 'http',
            duration: 0,
            url: 'https://ris-live.example/v1',
          }),
        ]),
      },
    ];
    const { di, warnings } = broker();
    const got = await di.nextResources(query());
    expect(got.map((r) => [r.format, r.url])).toEqual([
      ['bmp', `${base}/dumps/a.bmp`],
      ['ris-live', 'https://ris-live.example/v1'],
    ]);
    expect(di.kafkaSkipped).toBe(1);
    expect(warnings).toEqual([expect.stringMatching(/skipping Kafka resource kafka\.example:9092/)]);
  });

  const invalid: [string, string, RegExp][] = [
    ['an unknown root key', v2([res(RIS_FILE)], 1, { extra: 1 }), /unknown key "extra"/],
    ['an unknown resource key', v2([res(RIS_FILE, { size: 3 })]), /resource record #0: unknown key "size"/],
    ['a resource without a required field', v2([res(RIS_FILE, { format: undefined })]), /missing "format"/],
    ['a broker error', v2([], 1, { error: 'Invalid interval' }), /broker error: "Invalid interval"/],
    ['version 1', v2([], 1, { version: 1 }), /unsupported version 1/],
    ['a type other than data', v2([], 1, { type: 'meta' }), /"type" is "meta"/],
    ['no time', v2([], 1, { time: undefined }), /no "time"/],
    ['a v1 dumpFiles array', v2([], 1, { data: { dumpFiles: [] } }), /unknown key "data.dumpFiles"/],
    ['an unknown attr key', v2([res(RIS_FILE, { attr: { x: 'y' } })]), /unknown key "attr.x"/],
    ['a bad type', v2([res(RIS_FILE, { type: 'rib' })]), /"type" is "rib"/],
    ['an empty body', '', /empty response/],
    ['a body that is not JSON', '<html>', /invalid JSON/],
  ];
  it.each(invalid)('retries %s, then gives up naming the URL and the failure', async (_what, body, why) => {
    replies = [{ body }];
    const { di, warnings } = broker({ retries: '2' });
    const err = await di.nextResources(query()).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(
      `giving up on ${base}/data?intervals[]=${T},${T + 600} after 3 tries`,
    );
    expect((err as Error).message).toMatch(why);
    expect(dataRequests).toHaveLength(3);
    expect(warnings).toHaveLength(2);
    // Nothing advanced: the next request is still a first request.
    replies = [{ body: v2([]) }];
    await di.nextResources(query());
    expect(dataRequests[3]).toBe(`/data?intervals[]=${T},${T + 600}`);
  });

  it('waits 1, 2, 4, ... s between tries, capped by max-wait', async () => {
    replies = [{ status: 503, body: 'busy' }];
    const { di } = broker({ retries: '3', 'max-wait': '0.05' });
    const start = performance.now();
    await expect(di.nextResources(query())).rejects.toThrow(/after 4 tries; last failure: HTTP 503/);
    const elapsed = performance.now() - start;
    expect(elapsed).toBeGreaterThanOrEqual(140);
    // Uncapped waits would be 1 + 2 + 4 = 7 s; the bound leaves room for a loaded machine.
    expect(elapsed).toBeLessThan(5000);
  });

  it('recovers after an HTTP 500 and a broken body, returning each resource once', async () => {
    const good = v2([res(JINX_FILE), res(RIS_FILE)]);
    replies = [{ status: 500, body: 'oops' }, { body: good, breakBody: true }, { body: good }];
    const { di, warnings } = broker();
    const got = await di.nextResources(query());
    expect(got.map((r) => r.collector)).toEqual(['route-views.jinx', 'rrc06']);
    expect(dataRequests).toHaveLength(3);
    expect(warnings).toEqual([expect.stringMatching(/HTTP 500/), expect.any(String)]);
  });

  it('does not duplicate the valid resources of a response that had to be retried', async () => {
    // The reference pushes the first resource, fails on the second, retries and pushes both.
    replies = [
      { body: v2([res(JINX_FILE), res(RIS_FILE, { duration: undefined })]) },
      { body: v2([res(JINX_FILE), res(RIS_FILE)]) },
    ];
    const { di } = broker();
    const got = await di.nextResources(query());
    expect(got.map((r) => r.url)).toEqual([`${base}/dumps/${JINX_FILE}`, `${base}/dumps/${RIS_FILE}`]);
    // Nor does a later response that lists them again.
    replies = [{ body: v2([res(JINX_FILE), res(RIS_FILE)]) }];
    expect(await di.nextResources(query())).toEqual([]);
  });

  describe('cache-dir', () => {
    let cacheDir = '';
    beforeEach(() => {
      cacheDir = mkdtempSync(path.join(tmpdir(), 'broker-cache-'));
    });
    afterEach(async () => {
      await rm(cacheDir, { recursive: true, force: true });
    });

    it('downloads each dump once, atomically, keeping its bytes, and serves later uses from the cache', async () => {
      replies = [{ body: v2([res(JINX_FILE), res(RIS_FILE)]) }];
      const { di } = broker({ 'cache-dir': cacheDir });
      const got = await di.nextResources(query());
      const jinxCache = path.join(cacheDir, `routeviews.route-views.jinx.updates.${T}.900.cache`);
      const risCache = path.join(cacheDir, `ris.rrc06.updates.${T}.300.cache`);
      expect(got.map((r) => r.url)).toEqual([jinxCache, risCache]);
      expect(readdirSync(cacheDir).sort()).toEqual([path.basename(risCache), path.basename(jinxCache)]);
      expect(readFileSync(jinxCache).equals(readFileSync(path.join(SAMPLE_DIR, JINX_FILE)))).toBe(true);
      expect(readFileSync(risCache).equals(readFileSync(path.join(SAMPLE_DIR, RIS_FILE)))).toBe(true);
      expect(Object.fromEntries(dumpRequests)).toEqual({ [JINX_FILE]: 1, [RIS_FILE]: 1 });

      // Another client with the same cache, and a direct call: no new download.
      const other = broker({ 'cache-dir': cacheDir }).di;
      expect((await other.nextResources(query())).map((r) => r.url)).toEqual([jinxCache, risCache]);
      const original: Resource = { ...got[0], url: `${base}/dumps/${JINX_FILE}` };
      expect(await ensureCached(original, cacheDir)).toBe(jinxCache);
      expect(Object.fromEntries(dumpRequests)).toEqual({ [JINX_FILE]: 1, [RIS_FILE]: 1 });
    });

    it('downloads once when two callers ask at the same time', async () => {
      const r: Resource = {
        url: `${base}/dumps/${RIS_FILE}`,
        format: 'mrt',
        project: 'ris',
        collector: 'rrc06',
        type: 'update',
        initialTime: T,
        duration: 300,
      };
      const [a, b] = await Promise.all([ensureCached(r, cacheDir), ensureCached({ ...r }, cacheDir)]);
      expect(a).toBe(cachePath(r, cacheDir));
      expect(b).toBe(a);
      expect(dumpRequests.get(RIS_FILE)).toBe(1);
    });

    it('waits for a downloader that holds the lock instead of downloading', async () => {
      const r: Resource = {
        url: `${base}/dumps/${RIS_FILE}`,
        format: 'mrt',
        project: 'ris',
        collector: 'rrc06',
        type: 'update',
        initialTime: T,
        duration: 300,
      };
      const file = cachePath(r, cacheDir);
      writeFileSync(`${file}.lock`, `${process.pid}@${hostname()}\n`);
      const waiting = ensureCached(r, cacheDir, { lockPollMs: 10 });
      await new Promise((done) => setTimeout(done, 100));
      writeFileSync(file, 'made by the other downloader');
      await rm(`${file}.lock`);
      expect(await waiting).toBe(file);
      expect(readFileSync(file, 'utf8')).toBe('made by the other downloader');
      expect(dumpRequests.size).toBe(0);
    });

    it('takes over the lock of a downloader that died', async () => {
      const r: Resource = {
        url: `${base}/dumps/${RIS_FILE}`,
        format: 'mrt',
        project: 'ris',
        collector: 'rrc06',
        type: 'update',
        initialTime: T,
        duration: 300,
      };
      const dead = spawnSync(process.execPath, ['-e', '']).pid;
      const file = cachePath(r, cacheDir);
      writeFileSync(`${file}.lock`, `${dead}@${hostname()}\n`);
      writeFileSync(`${file}.temp`, 'partial');
      const warnings: string[] = [];
      expect(await ensureCached(r, cacheDir, { lockPollMs: 10, onWarning: (m) => warnings.push(m) })).toBe(
        file,
      );
      expect(readFileSync(file).equals(readFileSync(path.join(SAMPLE_DIR, RIS_FILE)))).toBe(true);
      expect(readdirSync(cacheDir)).toEqual([path.basename(file)]);
      expect(warnings).toEqual([expect.stringMatching(/stale cache lock/)]);
    });

    it('fails after the bounded tries when a dump cannot be downloaded, leaving no temp or lock file', async () => {
      replies = [{ body: v2([res(RIS_FILE)]) }];
      dumpStatus = 404;
      const { di } = broker({ 'cache-dir': cacheDir, retries: '1' });
      await expect(di.nextResources(query())).rejects.toThrow(
        new RegExp(
          `giving up on download of ${base}/dumps/${RIS_FILE.replaceAll('.', '\\.')} after 2 tries; last failure: HTTP 404`,
        ),
      );
      expect(dumpRequests.get(RIS_FILE)).toBe(2);
      expect(readdirSync(cacheDir)).toEqual([]);
      // The failed call did not advance the poll state: the resource comes again once it downloads.
      dumpStatus = 200;
      const got = await di.nextResources(query());
      expect(got.map((r) => r.url)).toEqual([path.join(cacheDir, `ris.rrc06.updates.${T}.300.cache`)]);
      expect(dataRequests.at(-1)).toBe(`/data?intervals[]=${T},${T + 600}`);
    });

    it('leaves non-http URLs and stream transports alone', async () => {
      replies = [
        {
          body: v2([
            res(RIS_FILE, { url: '/local/ris.gz' }),
            res(RIS_FILE, {
              format: 'ris-live',
              transport: 'http',
              duration: 0,
              url: `${base}/dumps/stream`,
            }),
          ]),
        },
      ];
      const { di } = broker({ 'cache-dir': cacheDir });
      expect((await di.nextResources(query())).map((r) => r.url)).toEqual([
        '/local/ris.gz',
        `${base}/dumps/stream`,
      ]);
      expect(dumpRequests.size).toBe(0);
    });
  });
});

describe('parseBrokerResponse', () => {
  it('accepts the spec example (escaped slashes, no version) and an attr with kafka-topics', () => {
    const body =
      '{"time":1427846900,"type":"data","error":null,"queryParameters":{},' +
      '"data":{"resources":[{"project":"ris","collector":"rrc06","type":"updates",' +
      '"initialTime":1427846400,"duration":300,"url":"http:\\/\\/data.ris.ripe.net\\/x.gz",' +
      '"transport":"file","format":"mrt","attr":{"kafka-topics":"t"}}]}}';
    expect(parseBrokerResponse(body)).toEqual({
      time: 1427846900,
      resources: [
        {
          url: 'http://data.ris.ripe.net/x.gz',
          project: 'ris',
          collector: 'rrc06',
          type: 'updates',
          initialTime: 1427846400,
          duration: 300,
          transport: 'file',
          format: 'mrt',
          kafkaTopics: 't',
        },
      ],
    });
  });

  it('rejects a time that is not a number and a resource that is not an object', () => {
    expect(() => parseBrokerResponse('{"time":"1"}')).toThrow(/"time" is not a time/);
    expect(() => parseBrokerResponse('{"time":1,"data":{"resources":[1]}}')).toThrow(/#0: not an object/);
  });
});
