import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { emptyQuery, getDataInterfaceType } from '../src/datainterfaces/index.js';
import type { Resource } from '../src/datainterfaces/resource.js';
import { bgpreaderElemLine, bgpreaderRecordLine } from '../src/format/bgpreader-line.js';
import {
  RisLiveReader,
  type RisLiveResource,
  readRisLiveBatches,
  risLiveLineToRecord,
} from '../src/formats/ris-live.js';
import { newWebsocketLinesStats, websocketLines } from '../src/formats/ris-live-socket.js';
import type { BgpRecord, RecordSource } from '../src/model/record.js';
import { openResource } from '../src/stream/open-resource.js';

const fixture = '/work/shared/libbgpstream-test-fixtures/ris-live-stream.json';
const haveFixture = existsSync(fixture);
const noFixtureMessage = `${fixture} is absent: the reference's RIS Live test (spec 7, test 3) is skipped`;

/** The fixture's UPDATE: 45.161.192.0/23 from AS11708 (72.22.223.9), 12-hop path. */
const UPDATE_HEX =
  'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF005B020000004040010100400232020C00002DBC00007D61000005130000CC6000040361000403610004036100040361000403610000CF01000418C1000418C14003044816DF09172DA1C0';
const KEEPALIVE_HEX = 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001304';

const source: RecordSource = {
  project: 'singlefile',
  collector: 'singlefile',
  type: 'update',
  dumpTime: 1000,
};

function updateLine(timestamp: string, host = 'rrc00', extra = ''): string {
  return `{"type":"ris_message","data":{"timestamp":${timestamp},"peer":"72.22.223.9","peer_asn":"11708","raw":"${UPDATE_HEX}","host":"${host}","type":"UPDATE"${extra}}}`;
}

function stateLine(timestamp: string, state: string): string {
  return `{"type":"ris_message","data":{"timestamp":${timestamp},"peer":"195.66.224.59","peer_asn":"24931","host":"rrc01","type":"RIS_PEER_STATE","state":"${state}"}}`;
}

/** Everything a record shows, for comparing two readings. */
function describeRecord(r: BgpRecord): string {
  const raw = r.raw ? Buffer.from(r.raw).toString('latin1') : '';
  return [bgpreaderRecordLine(r), r.error ?? '', raw, ...r.elems.map((e) => bgpreaderElemLine(r, e))].join(
    '\n',
  );
}

async function readAll(chunks: Uint8Array[], interval?: { begin: number; end: number }) {
  async function* gen() {
    yield* chunks;
  }
  const out: BgpRecord[] = [];
  for await (const batch of readRisLiveBatches(gen(), source, interval)) out.push(...batch);
  return out;
}

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

describe('ris-live format: the reference test (spec 7, test 3)', () => {
  if (!haveFixture) it.skip(noFixtureMessage, () => {});

  const expectedStatuses = [
    'valid',
    'valid',
    'valid',
    'unsupported-record',
    'unsupported-record',
    'unsupported-record',
    'corrupted-record',
  ];
  const expectedElems = [
    'U|A|1553627987.890000|singlefile|rrc00|||11708|72.22.223.9|45.161.192.0/23|72.22.223.9|11708 32097 1299 52320 263009 263009 263009 263009 263009 52993 268481 268481|268481|||',
    'U|S|1553625081.880000|singlefile|rrc01|||24931|195.66.224.59|||||||IDLE',
  ];

  async function collect(resource: Resource): Promise<BgpRecord[]> {
    const records: BgpRecord[] = [];
    for await (const batch of openResource(resource)) records.push(...batch);
    return records;
  }

  it.skipIf(!haveFixture)('gives exactly 7 records with the statuses and elems of the spec', async () => {
    const records = await collect({
      url: fixture,
      format: 'ris-live',
      project: 'singlefile',
      collector: 'singlefile',
      type: 'update',
      initialTime: 1700000000,
      duration: 120,
    });
    expect(records).toHaveLength(7);
    expect(records.map((r) => r.status)).toEqual(expectedStatuses);
    expect(records.map((r) => r.elems.length)).toEqual([1, 1, 0, 0, 0, 0, 0]);
    expect(records.flatMap((r) => r.elems.map((e) => bgpreaderElemLine(r, e)))).toEqual(expectedElems);
    expect(records.map((r) => r.collector)).toEqual([
      'rrc00',
      'rrc01',
      'singlefile',
      'rrc00',
      'rrc01',
      'rrc03',
      'singlefile',
    ]);
    expect(records.map((r) => r.dumpPosition)).toEqual([
      'start',
      'middle',
      'middle',
      'middle',
      'middle',
      'middle',
      'end',
    ]);
    expect(records.every((r) => r.project === 'singlefile' && r.dumpTime === 1700000000)).toBe(true);
    // raw is the line's bytes.
    const lines = readFileSync(fixture, 'utf8').split('\n');
    expect(records.map((r) => Buffer.from(r.raw!).toString('utf8'))).toEqual(lines.slice(0, 7));
    expect(records[2].error).toBe('ris_error: this is a test error message');
  });

  it.skipIf(!haveFixture)('reads the same through singlefile with upd-type=ris-live', async () => {
    const di = getDataInterfaceType('singlefile').create();
    di.setOption('upd-file', fixture);
    di.setOption('upd-type', 'ris-live');
    di.validate();
    const resources = await di.nextResources(emptyQuery());
    expect(resources).toHaveLength(1);
    const records = await collect(resources[0]);
    expect(records.map((r) => r.status)).toEqual(expectedStatuses);
    expect(records.flatMap((r) => r.elems.map((e) => bgpreaderElemLine(r, e)))).toEqual(expectedElems);
  });

  it.skipIf(!haveFixture)('skips records outside the interval on both sides without stopping', async () => {
    const records = await collect({
      url: fixture,
      format: 'ris-live',
      project: 'singlefile',
      collector: 'singlefile',
      type: 'update',
      initialTime: 1700000000,
      duration: 120,
    });
    expect(records).toHaveLength(7);
    const interval = { begin: 1553625000, end: 1553626000 };
    const filtered: BgpRecord[] = [];
    for await (const batch of openResource(
      {
        url: fixture,
        format: 'ris-live',
        project: 'singlefile',
        collector: 'singlefile',
        type: 'update',
        initialTime: 1700000000,
        duration: 120,
      },
      { interval },
    )) {
      filtered.push(...batch);
    }
    // The UPDATE (after the end) and the OPEN (before the begin) go; what follows the UPDATE is still read.
    expect(filtered.map((r) => r.status)).toEqual([
      'valid',
      'valid',
      'unsupported-record',
      'unsupported-record',
      'corrupted-record',
    ]);
    expect(filtered[0].elems[0].type).toBe('S');
    expect(filtered[0].dumpPosition).toBe('middle');
    expect(filtered.at(-1)!.dumpPosition).toBe('end');
  });
});

describe('ris-live format: lines across chunks', () => {
  const text = [
    updateLine('1553627987.89'),
    stateLine('1553625081.88', 'down'),
    '{"type":"ris_error","data":{"message":"x"}}',
    '',
    `{"type":"ris_message","data":{"timestamp":1553625034.06,"peer":"80.249.210.89","peer_asn":"31042","raw":"${KEEPALIVE_HEX}","host":"rrc03","type":"KEEPALIVE"}}\r`,
    'not json at all',
    updateLine('"1553627990.123456789"', 'rrc21'),
    '{"type":"ris_message","data":{"timestamp":1553625034.06',
  ].join('\n');
  const input = bytes(text);

  it('gives the same records wherever the chunks split the bytes', async () => {
    const whole = (await readAll([input])).map(describeRecord);
    expect(whole).toHaveLength(7);
    expect(whole.join('\n')).toContain(
      'U|S|1553625081.880000|singlefile|rrc01|||24931|195.66.224.59|||||||IDLE',
    );
    for (let cut = 0; cut <= input.length; cut++) {
      const split = await readAll([input.subarray(0, cut), input.subarray(cut)]);
      expect(split.map(describeRecord), `cut at byte ${cut}`).toEqual(whole);
    }
    const byteByByte = await readAll(Array.from(input, (b) => Uint8Array.of(b)));
    expect(byteByByte.map(describeRecord)).toEqual(whole);
    // Three pieces at every pair of boundaries around the first newline.
    const nl = input.indexOf(10);
    for (let a = nl - 3; a <= nl + 1; a++) {
      for (let b = a; b <= nl + 3; b++) {
        const three = await readAll([input.subarray(0, a), input.subarray(a, b), input.subarray(b)]);
        expect(three.map(describeRecord)).toEqual(whole);
      }
    }
  });

  it('strips a CR before the newline and decodes a last line without a newline', async () => {
    const records = await readAll([input]);
    expect(records.map((r) => r.status)).toEqual([
      'valid',
      'valid',
      'valid',
      'unsupported-record',
      'corrupted-record',
      'valid',
      'corrupted-record',
    ]);
    expect(Buffer.from(records[3].raw!).toString()).not.toContain('\r');
    expect(records[3].collector).toBe('rrc03');
    // A string timestamp; digits past the 6th are ignored.
    expect(bgpreaderRecordLine(records[5])).toBe('U|M|1553627990.123456|singlefile|rrc21|||V|1000');
    expect(records.at(-1)!.dumpPosition).toBe('end');
  });
});

describe('ris-live format: bad input', () => {
  it('makes corrupted records of garbage, bad hex and truncated JSON, and reads on', async () => {
    const lines = [
      'garbage',
      '[1,2,3]',
      '{"data":{}}',
      updateLine('1553627987.89').replace(UPDATE_HEX, `${UPDATE_HEX.slice(0, -1)}`), // odd hex length
      updateLine('1553627987.89').replace(UPDATE_HEX, `${UPDATE_HEX.slice(0, -2)}ZZ`), // not hex
      updateLine('1553627987.89').replace(UPDATE_HEX, UPDATE_HEX.slice(0, -4)), // BGP length runs past raw
      updateLine('1553627987.89').replace(UPDATE_HEX, KEEPALIVE_HEX), // raw is not an UPDATE
      updateLine('1553627987.89').replace('"peer":"72.22.223.9"', '"peer":"72.22.223"'),
      updateLine('1553627987.89').replace('"peer_asn":"11708"', '"peer_asn":"AS11708"'),
      updateLine('"soon"'),
      updateLine('1553627987.89').replace(`,"raw":"${UPDATE_HEX}"`, ''),
      '{"type":"ris_message","data":{"type":"UPDATE"',
      '{"type":"ris_message","data":{"timestamp":1553625081.88}}',
      updateLine('1553627999.5'),
    ];
    const chunks = [bytes(lines.join('\n')), Uint8Array.of(0x0a, 0xff, 0xfe, 0x0a)];
    const records = await readAll(chunks);
    expect(records.map((r) => r.status)).toEqual([
      ...Array(13).fill('corrupted-record'),
      'valid',
      'corrupted-record',
    ]);
    for (const r of records.filter((x) => x.status === 'corrupted-record')) {
      expect(r.elems).toHaveLength(0);
      expect(r.error).toBeTruthy();
    }
    expect(records[0].error).toMatch(/malformed JSON/);
    expect(records[3].error).toMatch(/hex/);
    expect(records[6].error).toMatch(/type 4/);
    expect(records[10].error).toMatch(/includeRaw/);
    expect(records[13].elems).toHaveLength(1);
    expect(records[13].timeUsec).toBe(500000);
    expect(records[14].error).toMatch(/UTF-8/);
    // Records without a time of their own take the previous record's.
    expect(records[14].timeSec).toBe(1553627999);
    expect(records[0].timeSec).toBe(1000);
  });

  it('skips an over-long line as one corrupted record', async () => {
    const reader = new RisLiveReader(source, { maxLineBytes: 100 });
    const long = `{"type":"ris_message","data":{"pad":"${'x'.repeat(500)}"}}`;
    const short = '{"type":"ris_error","data":{"message":"m"}}';
    const out = [
      ...reader.push(bytes(long.slice(0, 250))),
      ...reader.push(bytes(long.slice(250, 400))),
      ...reader.push(bytes(`${long.slice(400)}\n${short}\n`)),
      ...reader.finish(),
    ];
    expect(out.map((r) => r.status)).toEqual(['corrupted-record', 'valid']);
    expect(out[0].error).toMatch(/longer than 100 bytes/);
    expect(reader.stats).toMatchObject({ lines: 2, records: 2, corruptedRecords: 1 });
  });

  it('gives empty-source and filtered-source ends as for MRT', async () => {
    const empty = await readAll([bytes('\n\n')]);
    expect(empty.map((r) => [r.status, r.dumpPosition, r.timeSec])).toEqual([['empty-source', 'end', 1000]]);
    const filtered = await readAll([bytes(`${updateLine('50')}\n`)], { begin: 100, end: 0 });
    expect(filtered.map((r) => r.status)).toEqual(['filtered-source']);
  });

  it('ends with a corrupted-source record when the input fails', async () => {
    async function* failing() {
      yield bytes(`${updateLine('5')}\n`);
      throw new Error('disk on fire');
    }
    const out: BgpRecord[] = [];
    for await (const batch of readRisLiveBatches(failing(), source)) out.push(...batch);
    expect(out.map((r) => r.status)).toEqual(['valid', 'corrupted-source']);
    expect(out[1].error).toMatch(/disk on fire/);
  });
});

describe('risLiveLineToRecord', () => {
  it('maps peer states: down, connected, up, anything else', () => {
    const names = ['down', 'connected', 'up', 'flapping'].map((s) => {
      const r = risLiveLineToRecord(stateLine('1553625081.88', s), source);
      return bgpreaderElemLine(r, r.elems[0]).split('|').at(-1);
    });
    expect(names).toEqual(['IDLE', 'CONNECT', 'ESTABLISHED', '']);
  });

  it('takes the microseconds from the text, not from a rounded float', () => {
    expect(risLiveLineToRecord(updateLine('1553627987.1234569999'), source).timeUsec).toBe(123456);
    expect(risLiveLineToRecord(updateLine('1553627987.000001'), source).timeUsec).toBe(1);
    expect(risLiveLineToRecord(updateLine('1553627987'), source).timeUsec).toBe(0);
    expect(risLiveLineToRecord(updateLine('1553627987.89'), source).timeUsec).toBe(890000);
  });

  it('gives other envelope types an unsupported record and keeps the line as raw', () => {
    const line = '{"type":"ris_subscribe_ok","data":{"subscription":{}}}';
    const r = risLiveLineToRecord(line, source);
    expect(r.status).toBe('unsupported-record');
    expect(Buffer.from(r.raw!).toString()).toBe(line);
    expect(r.collector).toBe('singlefile');
  });

  it('keeps the project from the source and the collector from host', () => {
    const r = risLiveLineToRecord(updateLine('1.5', 'rrc25'), { ...source, project: 'ris' });
    expect([r.project, r.collector, r.type, r.dumpTime, r.status]).toEqual([
      'ris',
      'rrc25',
      'update',
      1000,
      'valid',
    ]);
  });
});

// ---------------------------------------------------------------- websocket

interface Conn {
  ws: WebSocket;
  received: string[];
  closed: Promise<number>;
}

/** A local RIS Live stand-in: it records what clients send and runs `script` for each connection. */
async function startServer(script: (conn: Conn, index: number) => void, options: { reject?: boolean } = {}) {
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    verifyClient: options.reject ? () => false : undefined,
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const conns: Conn[] = [];
  wss.on('connection', (ws) => {
    const conn: Conn = {
      ws,
      received: [],
      closed: new Promise((resolve) => ws.once('close', (code) => resolve(code))),
    };
    conns.push(conn);
    ws.on('message', (data) => {
      conn.received.push(data.toString());
      if (conn.received.length === 1) script(conn, conns.length - 1);
    });
  });
  const port = (wss.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/v1/ws/?client=bgpstream-ts-test`,
    conns,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of conns) c.ws.terminate();
        wss.close(() => resolve());
      }),
  };
}

let servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)),
  ]);
}

const liveLine = (i: number, host = 'rrc00') => updateLine(`1700000000.${String(i).padStart(6, '0')}`, host);

async function risLiveResource(url: string, settings: Record<string, string> = {}): Promise<RisLiveResource> {
  const di = getDataInterfaceType('ris-live').create();
  di.setOption('url', url);
  for (const [k, v] of Object.entries(settings)) di.setOption(k, v);
  di.validate();
  const resources = await di.nextResources(emptyQuery());
  expect(resources).toHaveLength(1);
  expect(await di.nextResources(emptyQuery())).toEqual([]);
  const resource = resources[0] as RisLiveResource;
  resource.risLive!.minRetryDelayMs = 20;
  return resource;
}

describe('ris-live data interface over a websocket', () => {
  it('is registered, with its options, and rejects bad values', () => {
    const type = getDataInterfaceType('ris-live');
    expect(type.options.map((o) => o.name)).toEqual([
      'url',
      'host',
      'prefix',
      'peer',
      'type',
      'max-retries',
      'queue-size',
    ]);
    expect(type.options[0].defaultValue).toBe('wss://ris-live.ripe.net/v1/ws/?client=bgpstream-ts');
    const di = type.create();
    expect(() => di.setOption('url', 'https://example.net/')).toThrow(/ws:\/\//);
    expect(() => di.setOption('prefix', '10.0.0.0/33')).toThrow(/prefix/);
    expect(() => di.setOption('peer', 'nope')).toThrow(/peer/);
    expect(() => di.setOption('type', 'ROUTE_REFRESH')).toThrow(/type/);
    expect(() => di.setOption('queue-size', '0')).toThrow(/queue-size/);
    expect(() => di.setOption('collector', 'rrc00')).toThrow(/no option/);
  });

  it('subscribes with its filters, reconnects after a drop, and closes when the consumer stops', async () => {
    const server = await startServer((conn, index) => {
      // First connection: 3 messages, then the server drops it. Second: 3 more, then it stays open.
      for (let i = 0; i < 3; i++) conn.ws.send(liveLine(index * 3 + i, index === 0 ? 'rrc00' : 'rrc01'));
      if (index === 0) setTimeout(() => conn.ws.terminate(), 50);
    });
    servers.push(server);
    const resource = await risLiveResource(server.url, {
      host: 'rrc00',
      prefix: '45.161.192.0/23',
      peer: '72.22.223.9',
      type: 'update',
    });
    resource.risLive!.stats = newWebsocketLinesStats();
    expect(resource).toMatchObject({
      url: server.url,
      format: 'ris-live',
      duration: 0,
      type: 'update',
      project: 'ris-live',
      collector: '',
    });
    const records: BgpRecord[] = [];
    const reading = (async () => {
      for await (const batch of openResource(resource)) {
        records.push(...batch);
        if (records.length >= 6) break;
      }
    })();
    await withTimeout(reading, 10_000, 'six records');
    expect(records.map((r) => r.status)).toEqual(Array(6).fill('valid'));
    expect(records.map((r) => r.timeUsec)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(records.map((r) => r.collector)).toEqual(['rrc00', 'rrc00', 'rrc00', 'rrc01', 'rrc01', 'rrc01']);
    expect(records.map((r) => r.dumpPosition)).toEqual(['start', ...Array(5).fill('middle')]);
    expect(bgpreaderElemLine(records[0], records[0].elems[0])).toBe(
      'U|A|1700000000.000000|ris-live|rrc00|||11708|72.22.223.9|45.161.192.0/23|72.22.223.9|11708 32097 1299 52320 263009 263009 263009 263009 263009 52993 268481 268481|268481|||',
    );
    expect(server.conns).toHaveLength(2);
    for (const conn of server.conns) {
      expect(JSON.parse(conn.received[0])).toEqual({
        type: 'ris_subscribe',
        data: {
          host: 'rrc00',
          peer: '72.22.223.9',
          type: 'UPDATE',
          prefix: '45.161.192.0/23',
          socketOptions: { includeRaw: true },
        },
      });
    }
    // Breaking out of the loop closed the live connection with a normal closure.
    expect(await withTimeout(server.conns[1].closed, 5_000, 'the close')).toBe(1000);
    expect(resource.risLive!.stats).toMatchObject({ connects: 2, disconnects: 1, messages: 6 });
  });

  it('sends several prefixes as a list', async () => {
    const server = await startServer((conn) => conn.ws.send(liveLine(0)));
    servers.push(server);
    const resource = await risLiveResource(server.url, { prefix: '10.0.0.0/8' });
    const di = getDataInterfaceType('ris-live').create();
    di.setOption('url', server.url);
    di.setOption('prefix', '10.0.0.0/8');
    di.setOption('prefix', '2001:db8::/32');
    const [two] = (await di.nextResources(emptyQuery())) as RisLiveResource[];
    expect(two.risLive!.subscribe).toEqual({ prefix: ['10.0.0.0/8', '2001:db8::/32'] });
    for await (const batch of openResource(resource)) {
      expect(batch[0].status).toBe('valid');
      break;
    }
    expect(JSON.parse(server.conns[0].received[0]).data).toEqual({
      prefix: '10.0.0.0/8',
      socketOptions: { includeRaw: true },
    });
  });

  it('stops quietly and closes the socket when the signal is aborted', async () => {
    const server = await startServer((conn) => conn.ws.send(liveLine(0)));
    servers.push(server);
    const resource = await risLiveResource(server.url);
    const controller = new AbortController();
    const records: BgpRecord[] = [];
    const reading = (async () => {
      for await (const batch of openResource(resource, { signal: controller.signal })) {
        records.push(...batch);
        controller.abort();
      }
    })();
    await withTimeout(reading, 5_000, 'the stream to end');
    expect(records).toHaveLength(1);
    expect(await withTimeout(server.conns[0].closed, 5_000, 'the close')).toBe(1000);
  });

  it('gives up with a corrupted-source record after max-retries failed connections', async () => {
    const server = await startServer(() => {}, { reject: true });
    servers.push(server);
    const resource = await risLiveResource(server.url, { 'max-retries': '2' });
    const records: BgpRecord[] = [];
    await withTimeout(
      (async () => {
        for await (const batch of openResource(resource)) records.push(...batch);
      })(),
      10_000,
      'the stream to give up',
    );
    expect(records).toHaveLength(1);
    expect(records[0].status).toBe('corrupted-source');
    expect(records[0].error).toMatch(/gave up after 3 failed connection attempts: .*401/);
    expect(records[0].dumpPosition).toBe('end');
  });

  it('passes other messages on: ris_error is valid without elems, bad JSON is corrupted', async () => {
    const server = await startServer((conn) => {
      conn.ws.send('{"type":"ris_error","data":{"message":"Unknown subscription parameter"}}');
      conn.ws.send('{"type":"ris_message"');
      conn.ws.send(`${liveLine(7)}\n${liveLine(8)}`);
    });
    servers.push(server);
    const resource = await risLiveResource(server.url);
    const records: BgpRecord[] = [];
    for await (const batch of openResource(resource)) {
      records.push(...batch);
      if (records.length >= 4) break;
    }
    expect(records.map((r) => r.status)).toEqual(['valid', 'corrupted-record', 'valid', 'valid']);
    expect(records[0].error).toBe('ris_error: Unknown subscription parameter');
    expect(records.map((r) => r.elems.length)).toEqual([0, 0, 1, 1]);
  });

  it('pauses the socket for a slow consumer and keeps its queue bounded (20000 messages)', async () => {
    const total = 20_000;
    const pad = 'p'.repeat(1000);
    const message = (i: number) => liveLine(i).replace('"type":"UPDATE"', `"type":"UPDATE","id":"${pad}"`);
    const messageBytes = Buffer.byteLength(message(0));
    let serverWaits = 0;
    let maxBuffered = 0;
    const server = await startServer((conn) => {
      // Sends as fast as the connection takes it: it waits whenever its socket buffer backs up.
      let i = 0;
      const pump = () => {
        while (i < total) {
          if (conn.ws.readyState !== WebSocket.OPEN) return;
          conn.ws.send(message(i++));
          maxBuffered = Math.max(maxBuffered, conn.ws.bufferedAmount);
          if (conn.ws.bufferedAmount > 256 * 1024) {
            serverWaits++;
            setTimeout(pump, 5);
            return;
          }
        }
      };
      pump();
    });
    servers.push(server);
    const queueSize = 100;
    const resource = await risLiveResource(server.url, { 'queue-size': String(queueSize) });
    const stats = newWebsocketLinesStats();
    resource.risLive!.stats = stats;
    let count = 0;
    let inOrder = true;
    await withTimeout(
      (async () => {
        for await (const batch of openResource(resource)) {
          for (const r of batch) {
            if (r.status !== 'valid' || r.timeUsec !== count) inOrder = false;
            count++;
          }
          // A slow consumer: a timer tick every 200 records.
          if (count % 200 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
          if (count >= total) break;
        }
      })(),
      60_000,
      'all messages',
    );
    expect(count).toBe(total);
    expect(inOrder).toBe(true);
    expect(stats.messages).toBe(total);
    expect(stats.pauses).toBeGreaterThan(0);
    // The bound: queueSize, plus what one network read (64 KiB) already held when the socket paused.
    const slack = Math.ceil((64 * 1024) / messageBytes) + 1;
    expect(stats.maxPending).toBeGreaterThanOrEqual(queueSize);
    expect(stats.maxPending).toBeLessThanOrEqual(queueSize + slack);
    // The pause reached the server: its socket buffer backed up and it had to wait.
    expect(serverWaits).toBeGreaterThan(0);
    expect(maxBuffered).toBeGreaterThan(256 * 1024);
    expect(await withTimeout(server.conns[0].closed, 5_000, 'the close')).toBe(1000);
  });
});

describe('websocketLines', () => {
  it('yields each message as a line and ends on return()', async () => {
    const server = await startServer((conn) => {
      conn.ws.send('a');
      conn.ws.send('b\nc');
    });
    servers.push(server);
    const lines: string[] = [];
    for await (const line of websocketLines(server.url, { host: 'rrc00' })) {
      lines.push(line);
      if (lines.length === 3) break;
    }
    expect(lines).toEqual(['a', 'b', 'c']);
    expect(JSON.parse(server.conns[0].received[0])).toEqual({
      type: 'ris_subscribe',
      data: { host: 'rrc00', socketOptions: { includeRaw: true } },
    });
    expect(await withTimeout(server.conns[0].closed, 5_000, 'the close')).toBe(1000);
  });
});
