import { readFileSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { recordsToArrowBatches, writeArrowIpc } from '@bgpstream-ts/arrow';
import {
  AsPath,
  BgpRecord,
  bgpreaderBgpdumpLine,
  bgpreaderElemLine,
  Elem,
  IpAddress,
  PathAttributes,
  Prefix,
} from '@bgpstream-ts/core';
import { ELEM_COLUMN_NAMES, elemMessageJsonSchema, elemMessageJsonSchemaText } from '@bgpstream-ts/schemas';
import { describe, expect, it } from 'vitest';
import { parseAsPath } from '../src/elem-json.js';
import { elemJsonText, elemToJson, jsonToRecord } from '../src/index.js';
import { arrowMessageRows } from './helpers/arrow.js';
import { validate } from './helpers/json-schema.js';
import { readSample, SAMPLES, samplesPresent } from './helpers/samples.js';

const SCHEMA_FILE = fileURLToPath(new URL('../../../schemas/json/elem-message.schema.json', import.meta.url));

/** Elems with every column set, including the unusual ones (sets, confed, large and extended communities). */
function syntheticRecord(): BgpRecord {
  const attrs = new PathAttributes();
  attrs.origin = 2;
  attrs.asPath = new AsPath([
    { type: 2, asns: [3356, 1299] },
    { type: 1, asns: [64512, 64513] },
    { type: 3, asns: [65001, 65002] },
    { type: 4, asns: [65003] },
    { type: 9, asns: [7] },
  ]);
  attrs.med = 0;
  attrs.localPref = 100;
  attrs.atomicAggregate = true;
  attrs.aggregator = { asn: 4200000002, address: IpAddress.parse('192.0.2.1') };
  attrs.communities = [((3356 << 16) | 2) >>> 0, 0xffffff01];
  attrs.largeCommunities = [4200000002, 1, 2];
  attrs.extendedCommunities = [Uint8Array.from([0, 2, 0x0d, 0x1c, 0, 0, 0, 1])];
  attrs.onlyToCustomer = 64500;
  const peer = IpAddress.parse('2001:7f8:4::3356:1');
  const r = new BgpRecord('ris', 'rrc00', 'rib', 1427846400, 1427846401, 999999, 'valid', 13, 4, [], null);
  r.router = 'r1';
  r.routerIp = IpAddress.parse('10.0.0.1');
  r.elems.push(
    new Elem(
      'R',
      1427846401,
      999999,
      peer,
      4294967295,
      Prefix.parse('2a02:2e0::/32'),
      7,
      IpAddress.parse('2001:db8::2'),
      attrs,
      0,
      0,
      1427800000,
    ),
    new Elem(
      'A',
      1427846401,
      999999,
      peer,
      1,
      new Prefix(IpAddress.parse('10.1.2.3'), 8),
      null,
      IpAddress.parse('10.0.0.2'),
      attrs,
      0,
      0,
      0,
    ),
    new Elem('W', 1427846401, 999999, peer, 1, Prefix.parse('10.0.0.0/8'), null, null, null, 0, 0, 0),
    new Elem('S', 1427846401, 999999, null, 2, null, null, null, null, 6, 42, 0),
  );
  return r;
}

async function arrowRows(records: BgpRecord[]): Promise<Record<string, unknown>[]> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(c: Buffer, _e, cb) {
      chunks.push(c);
      cb();
    },
  });
  await writeArrowIpc(recordsToArrowBatches([records]), sink);
  return arrowMessageRows(Buffer.concat(chunks)).rows;
}

describe('the json elem message', () => {
  it('has a JSON Schema generated from the elem columns, and schemas/json holds it', () => {
    const schema = elemMessageJsonSchema();
    expect(Object.keys(schema.properties as object)).toEqual(ELEM_COLUMN_NAMES);
    // UPDATE_SCHEMA=1 rewrites the file (then `biome check --write schemas/json` formats it).
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(SCHEMA_FILE, elemMessageJsonSchemaText());
    expect(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'))).toEqual(schema);
  });

  it('writes every column, valid against the schema, equal to the Arrow connector’s row', async () => {
    const r = syntheticRecord();
    const schema = elemMessageJsonSchema();
    const json = r.elems.map((e) => elemToJson(r, e));
    r.elems.forEach((e, i) => {
      expect(elemJsonText(r, e)).toBe(JSON.stringify(json[i]));
    });
    for (const j of json) {
      expect(Object.keys(j)).toEqual(ELEM_COLUMN_NAMES);
      expect(validate(schema, JSON.parse(JSON.stringify(j)))).toEqual([]);
    }
    expect(json).toEqual(await arrowRows([r]));
    expect(json[0]).toMatchObject({
      elem_type: 'R',
      prefix: '2a02:2e0::/32',
      prefix_network: '2a0202e0000000000000000000000000',
      record_time: 1427846401999999,
      orig_time: 1427800000000000,
      as_path: '3356 1299 {64512,64513} (65001 65002) [65003] <7>',
      origin_asns: [7],
      communities: [
        { asn: 3356, value: 2 },
        { asn: 65535, value: 65281 },
      ],
      extended_communities: ['00020d1c00000001'],
      router: 'r1',
      router_ip: '10.0.0.1',
    });
    expect(json[1].prefix_network).toBe('00000000000000000000ffff0a010203');
    expect(json[3]).toMatchObject({
      peer_address: null,
      old_state: 'ESTABLISHED',
      new_state: '42',
      as_path: null,
    });
  });

  it('reads back into the same elem (bgpreader lines, bgpdump lines and json equal)', () => {
    const r = syntheticRecord();
    for (const e of r.elems) {
      const text = JSON.stringify(elemToJson(r, e));
      const back = jsonToRecord(text, null);
      const b = back.elems[0];
      expect(bgpreaderElemLine(back, b)).toBe(bgpreaderElemLine(r, e));
      expect(bgpreaderBgpdumpLine(back, b)).toBe(bgpreaderBgpdumpLine(r, e));
      expect(elemToJson(back, b)).toEqual(elemToJson(r, e));
      expect(back.router).toBe('r1');
    }
    expect(parseAsPath('1 2 {3,4} 5', [2, 2, 1, 1, 2]).segments).toEqual([
      { type: 2, asns: [1, 2] },
      { type: 1, asns: [3, 4] },
      { type: 2, asns: [5] },
    ]);
  });

  it('rejects what is not an elem message, naming the column', () => {
    expect(() => jsonToRecord('{', null)).toThrow();
    expect(() => jsonToRecord('[]', null)).toThrow(/not a JSON object/);
    const j = elemToJson(syntheticRecord(), syntheticRecord().elems[1]);
    expect(() => jsonToRecord(JSON.stringify({ ...j, peer_asn: -1 }), null)).toThrow(/peer_asn/);
    expect(() => jsonToRecord(JSON.stringify({ ...j, prefix: '10.0.0.0/99' }), null)).toThrow(/prefix/);
    expect(() => jsonToRecord(JSON.stringify({ ...j, as_path: '1 x' }), null)).toThrow(/as_path/);
  });

  it.skipIf(!samplesPresent)(
    'matches the Arrow connector row for row on both libbgpstream samples',
    async () => {
      const schema = elemMessageJsonSchema();
      for (const s of SAMPLES) {
        const records = await readSample(s);
        const json = records.flatMap((r) => r.elems.map((e) => elemToJson(r, e)));
        expect(json.length).toBeGreaterThan(1000);
        // The exporter's direct writer gives JSON.stringify's text exactly.
        const texts = records.flatMap((r) => r.elems.map((e) => elemJsonText(r, e)));
        texts.forEach((t, i) => {
          if (t !== JSON.stringify(json[i])) expect(t).toBe(JSON.stringify(json[i]));
        });
        for (const j of json.slice(0, 200))
          expect(validate(schema, JSON.parse(JSON.stringify(j)))).toEqual([]);
        const rows = await arrowRows(records);
        expect(rows.length).toBe(json.length);
        // Compared as text: a deep equality of thousands of objects is slow.
        for (let i = 0; i < json.length; i++) expect(JSON.stringify(rows[i])).toBe(JSON.stringify(json[i]));
      }
    },
  );
});
