import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bgpdumpLine } from '../src/format/bgpdump-line.js';
import type { BgpRecord } from '../src/model/record.js';
import { MrtReader } from '../src/mrt/mrt-reader.js';
import { readMrtBatches } from '../src/mrt/read-mrt.js';
import {
  expectedLines,
  haveSamples,
  noSamplesMessage,
  repoRoot,
  samplePath,
  samplesWithBgpdumpOutput,
} from './helpers/samples.js';

interface Decoded {
  lines: string[];
  records: BgpRecord[];
  reader: MrtReader | undefined;
}

async function decode(rel: string, mode: 'm' | 'M' = 'm'): Promise<Decoded> {
  const lines: string[] = [];
  const records: BgpRecord[] = [];
  for await (const batch of readMrtBatches(samplePath(rel), { multicast: true })) {
    for (const record of batch) {
      records.push(record);
      if (record.status === 'valid')
        for (const e of record.elems) lines.push(bgpdumpLine(record, e, { mode }));
    }
  }
  return { lines, records, reader: undefined };
}

/** Samples where bgpdump 1.6.2 is wrong (see the samples README); each has its own test below. */
const BGPDUMP_WRONG = new Set([
  'bgpdump-test_data/updates.nlri_mask_trailing_bits.gz',
  'mrtparse/bird_bgp',
  'mrtparse/bird6_bgp',
  'mrtparse/openbgpd_rib_table',
]);

describe.skipIf(!haveSamples)('bgpdump -m conformance on the real samples', () => {
  if (!haveSamples) it.skip(noSamplesMessage, () => {});
  const samples = haveSamples ? samplesWithBgpdumpOutput() : [];

  it('covers every sample that has reference output', () => {
    expect(samples.length).toBe(32);
  });

  for (const rel of samples.filter((s) => !BGPDUMP_WRONG.has(s))) {
    it(`prints exactly what bgpdump -m prints for ${rel}`, async () => {
      const { lines } = await decode(rel);
      const expected = expectedLines(`bgpdump-m/${rel}.txt.gz`);
      expect(lines.length).toBe(expected.length);
      // One comparison of the whole text, so that a failure shows the first differing line.
      expect(lines.join('\n')).toBe(expected.join('\n'));
    });
  }

  it('masks NLRI host bits that bgpdump 1.6.2 prints (11.13.0.0/13 is 11.8.0.0/13) and flags the truncated tail', async () => {
    const rel = 'bgpdump-test_data/updates.nlri_mask_trailing_bits.gz';
    const { lines, records } = await decode(rel);
    const expected = expectedLines(`bgpdump-m/${rel}.txt.gz`);
    expect(expected).toEqual([
      'BGP4MP|1289168632|A|12.0.1.63|7018|11.13.0.0/13|7018 3549 12389 48275 51044|IGP|12.0.1.63|0|0|6923:3339|NAG||',
    ]);
    expect(lines).toEqual([expected[0].replace('11.13.0.0/13', '11.8.0.0/13')]);
    expect(records).toHaveLength(1);
    expect(records[0].status).toBe('valid');
    expect(records[0].error).toMatch(/NLRI truncated/);
  });

  for (const rel of ['mrtparse/bird_bgp', 'mrtparse/bird6_bgp']) {
    it(`detects the ADD-PATH NLRI BIRD wrote into plain MESSAGE_AS4 records of ${rel} (bgpdump prints /0 garbage)`, async () => {
      const { lines, records } = await decode(rel);
      const expected = expectedLines(`bgpdump-m/${rel}.txt.gz`);
      // bgpdump reads the path ids as prefixes: default routes that were never announced.
      expect(expected.some((l) => l.includes('|0.0.0.0/0|') || l.includes('|::/0|'))).toBe(true);
      expect(lines.some((l) => l.includes('|0.0.0.0/0|') || l.includes('|::/0|'))).toBe(false);
      // State lines agree with bgpdump's.
      expect(lines.filter((l) => l.includes('|STATE|'))).toEqual(
        expected.filter((l) => l.includes('|STATE|')),
      );
      const announced = records.flatMap((r) => r.elems.filter((e) => e.type === 'A'));
      expect(announced.length).toBe(14);
      expect(new Set(announced.map((e) => e.pathId))).toEqual(new Set([1, 2]));
      // The same lab also wrote properly labelled MESSAGE_AS4_ADDPATH records (…-mrtdump_bgp): bgpdump's reading
      // of those is the independent answer for the routes both files carry.
      const labelled = expectedLines(`bgpdump-m/${rel.replace('_bgp', '-mrtdump_bgp')}.txt.gz`)
        .filter((l) => l.includes('|A|'))
        .map((l) => `${l.split('|')[5]}#${l.split('|')[6]}`);
      const ours = announced.map((e) => `${e.prefix}#${e.pathId}`);
      expect(new Set(labelled).size).toBe(6);
      for (const route of labelled) expect(ours).toContain(route);
      // Besides those, one route with an empty AS path (BIRD's own), announced once per session.
      const extra = ours.filter((r) => !labelled.includes(r));
      expect(extra).toEqual(
        rel.includes('bird6')
          ? ['fd02:17::/64#1', 'fd02:17::/64#1']
          : ['192.168.16.0/24#1', '192.168.16.0/24#1'],
      );
    });
  }

  it('reads the 8-byte AGGREGATOR OpenBGPD wrote into TABLE_DUMP records by its length (bgpdump reads 2 bytes of ASN)', async () => {
    const rel = 'mrtparse/openbgpd_rib_table';
    const { lines } = await decode(rel);
    const expected = expectedLines(`bgpdump-m/${rel}.txt.gz`);
    expect(lines.length).toBe(expected.length);
    for (let i = 0; i < lines.length; i++) {
      // 0x0000FDE8 C0A8000F is AS65000 192.168.0.15 (the peer's own AS and next hop); bgpdump prints AS0 253.232.192.168.
      expect(lines[i]).toBe(expected[i].replace('|0 253.232.192.168|', '|65000 192.168.0.15|'));
    }
    expect(lines.filter((l) => l.endsWith('|65000 192.168.0.15|')).length).toBeGreaterThan(0);
  });

  it('reports the malformed STATE_CHANGE_AS4 FRR writes at shutdown as a corrupted record', async () => {
    const { records } = await decode('frr-bird-lab/frr-all-et.mrt');
    const last = records[records.length - 1];
    expect(last.status).toBe('corrupted-record');
    expect(last.mrtSubtype).toBe(5);
    expect(records.filter((r) => r.status !== 'valid')).toHaveLength(1);
  });

  it('skips and counts BGP4MP_ENTRY records, which bgpdump skips too', async () => {
    const reader = new MrtReader();
    const { readFileSync } = await import('node:fs');
    const out = [
      ...reader.push(readFileSync(samplePath('mrtparse/openbgpd_rib_table-mp'))),
      ...reader.finish(),
    ];
    expect(reader.stats.skippedTypes.get('16/2')).toBe(31);
    expect(out.map((r) => r.status)).toEqual(['empty-source']);
  });

  it('the bgpdump command prints the same lines as the library (gzip and bzip2 input)', () => {
    for (const rel of [
      'libbgpstream/routeviews.route-views.jinx.updates.1427846400.bz2',
      'mrtparse/quagga_bgp',
    ]) {
      const out = execFileSync('node', ['core/dist/cli/bgpdump.js', '-m', samplePath(rel)], {
        cwd: repoRoot,
      });
      expect(out.toString()).toBe(`${expectedLines(`bgpdump-m/${rel}.txt.gz`).join('\n')}\n`);
    }
  });

  const haveBgpdump = spawnSync('bgpdump', ['-T']).status === 0;
  it.skipIf(!haveBgpdump)('-M prints what Debian bgpdump -M prints (run in the same test)', async () => {
    for (const rel of [
      'mrtparse/quagga_bgp',
      'mrtparse/quagga_rib',
      'frr-bird-lab/frr-all-et.mrt',
      'libbgpstream/ris.rrc06.updates.1427846400.gz',
    ]) {
      const reference = execFileSync('bgpdump', ['-q', '-M', samplePath(rel)], {
        stdio: ['ignore', 'pipe', 'ignore'],
      })
        .toString()
        .split('\n')
        .filter(Boolean);
      const { lines } = await decode(rel, 'M');
      expect(lines.join('\n')).toBe(reference.join('\n'));
    }
  });
});
