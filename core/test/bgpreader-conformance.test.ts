import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MrtReader } from '../src/mrt/mrt-reader.js';
import { readMrt } from '../src/mrt/read-mrt.js';
import {
  expectedLines,
  haveSamples,
  noSamplesMessage,
  repoRoot,
  samplePath,
  samplesDir,
} from './helpers/samples.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'bgpreader-conf-'));

function bgpreader(args: string[]): string[] {
  const out = execFileSync('node', ['core/dist/cli/bgpreader.js', ...args], {
    cwd: repoRoot,
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const lines = out.toString().split('\n');
  lines.pop();
  return lines;
}

/** The reference's own command line: csvfile, so that project, collector and dump time come from the CSV. */
function runCsv(csvRel: string, mode: 'e' | 'r'): string[] {
  const csv = readFileSync(path.join(samplesDir, 'expected/bgpreader', csvRel), 'utf8').replaceAll(
    '@SAMPLES@',
    samplesDir,
  );
  const file = path.join(tmp, csvRel.replaceAll('/', '_'));
  writeFileSync(file, csv);
  return bgpreader(['-d', 'csvfile', '-o', `csv-file=${file}`, '-w', '1000000000,2000000000', `-${mode}`]);
}

describe.skipIf(!haveSamples)('bgpreader output against the reference bgpreader 2.3.0', () => {
  if (!haveSamples) it.skip(noSamplesMessage, () => {});
  const csvs = haveSamples
    ? readdirSync(path.join(samplesDir, 'expected/bgpreader'), { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.csv'))
        .sort()
    : [];

  it('has the 18 reference runs', () => {
    expect(csvs).toHaveLength(18);
  });

  for (const csv of csvs) {
    const base = csv.slice(0, -'.csv'.length);
    it(`-r prints the reference's record lines for ${base}`, () => {
      expect(runCsv(csv, 'r').join('\n')).toBe(expectedLines(`bgpreader/${base}.r.txt.gz`).join('\n'));
    });
    if (base === 'frr-bird-lab/bird-rib.mrt') continue;
    it(`-e prints the reference's elem lines for ${base}`, () => {
      expect(runCsv(csv, 'e').join('\n')).toBe(expectedLines(`bgpreader/${base}.e.txt.gz`).join('\n'));
    });
  }

  it('bird-rib: entries without NEXT_HOP print no next hop (the reference leaks the previous entry’s)', () => {
    const ours = runCsv('frr-bird-lab/bird-rib.mrt.csv', 'e');
    const reference = expectedLines('bgpreader/frr-bird-lab/bird-rib.mrt.e.txt.gz');
    expect(ours).toHaveLength(reference.length);
    const differing = ours.map((l, i) => [l, reference[i]]).filter(([a, b]) => a !== b);
    // Only the two entries of peer :: (AS0, BIRD's own routes, no attributes at all) differ, and only by the next hop.
    expect(differing).toEqual([
      [
        'R|R|1795931171.000000|lab|bird|||0|::|192.0.2.128/25||||||',
        'R|R|1795931171.000000|lab|bird|||0|::|192.0.2.128/25|203.0.113.1|||||',
      ],
      [
        'R|R|1795931171.000000|lab|bird|||0|::|203.0.113.0/24||||||',
        'R|R|1795931171.000000|lab|bird|||0|::|203.0.113.0/24|203.0.113.1|||||',
      ],
    ]);
    // bgpdump agrees: no NEXT_HOP (it prints INADDR_NONE).
    const bgpdumpLines = expectedLines('bgpdump-m/frr-bird-lab/bird-rib.mrt.txt.gz').filter((l) =>
      l.includes('|B|::|0|'),
    );
    expect(bgpdumpLines).toHaveLength(2);
    for (const l of bgpdumpLines) expect(l).toContain('|255.255.255.255|');
  });

  it('counts the records and elems the spec (section 7) gives for the two libbgpstream files', async () => {
    const count = async (rel: string) => {
      let records = 0;
      const elems = { A: 0, W: 0, S: 0, R: 0 };
      for await (const r of readMrt(samplePath(rel))) {
        if (r.status !== 'valid') continue;
        records++;
        for (const e of r.elems) elems[e.type]++;
      }
      return { records, elems };
    };
    expect(await count('libbgpstream/ris.rrc06.updates.1427846400.gz')).toEqual({
      records: 795,
      elems: { A: 1435, W: 122, S: 4, R: 0 },
    });
    expect(await count('libbgpstream/routeviews.route-views.jinx.updates.1427846400.bz2')).toEqual({
      records: 1756,
      elems: { A: 8160, W: 451, S: 0, R: 0 },
    });
  });

  it('prints the spec’s example lines (section 5.3) for the rrc06 file, in -e, -r and -m modes', () => {
    const file = samplePath('libbgpstream/ris.rrc06.updates.1427846400.gz');
    const csv = path.join(tmp, 'rrc06.csv');
    writeFileSync(csv, `${file},ris,updates,rrc06,1427846400,300,1430438400\n`);
    const args = ['-d', 'csvfile', '-o', `csv-file=${csv}`, '-w', '1427846400,1427847000'];
    const e = bgpreader([...args, '-e']);
    expect(e).toContain(
      'U|A|1427846404.000000|ris|rrc06|||25152|202.249.2.185|192.108.199.0/24|202.249.2.185|25152 2914 1880|1880|2914:420 2914:1214 2914:2213 2914:3200||',
    );
    expect(e).toContain(
      'U|W|1427846417.000000|ris|rrc06|||25152|2001:200:0:fe00::6249:0|2620:110:9004::/48||||||',
    );
    expect(e).toContain('U|S|1427846508.000000|ris|rrc06|||17697|202.249.2.146||||||ACTIVE|CONNECT');
    const r = bgpreader([...args, '-r']);
    expect(r[0]).toBe('U|B|1427846401.000000|ris|rrc06|||V|1427846400');
    expect(r[r.length - 1]).toBe('U|E|1427846699.000000|ris|rrc06|||V|1427846400');
    const m = bgpreader([...args, '-m']);
    expect(m).toContain(
      'BGP4MP|1427846404|A|202.249.2.185|25152|192.108.199.0/24|25152 2914 1880|IGP|202.249.2.185|0|0|2914:420 2914:1214 2914:2213 2914:3200|NAG||',
    );
    expect(m).toContain('BGP4MP|1427846417|W|2001:200:0:fe00::6249:0|25152|2620:110:9004::/48');
    expect(m).toContain('BGP4MP|1427846508|STATE|202.249.2.146|17697|3|2');
  });

  it('singlefile prints project and collector "singlefile" and the time the file was queued as dump time', () => {
    const before = Math.floor(Date.now() / 1000);
    const lines = bgpreader([
      '-d',
      'singlefile',
      '-o',
      `upd-file=${samplePath('mrtparse/quagga_bgp')}`,
      '-r',
      '-w',
      '0',
    ]);
    const dumpTime = Number(lines[0].split('|').at(-1));
    expect(dumpTime).toBeGreaterThanOrEqual(before);
    expect(lines[0]).toBe(`U|B|1486802163.000000|singlefile|singlefile|||V|${dumpTime}`);
    expect(lines).toHaveLength(67);
  });

  it('decodes ADD-PATH records, which the reference drops (a deliberate difference)', () => {
    const reader = new MrtReader();
    const records = [
      ...reader.push(readFileSync(samplePath('frr-bird-lab/frr-updates.mrt'))),
      ...reader.finish(),
    ];
    const addPath = records.filter((r) => r.mrtSubtype === 9);
    expect(addPath).toHaveLength(7);
    const elems = addPath.flatMap((r) => r.elems);
    // bgpdump -m prints these too, as BGP4MP_AP lines with the path id after the prefix.
    const bgpdumpAp = expectedLines('bgpdump-m/frr-bird-lab/frr-updates.mrt.txt.gz').filter((l) =>
      l.startsWith('BGP4MP_AP|'),
    );
    expect(elems.length).toBe(bgpdumpAp.length);
    expect(elems.map((e) => `${e.prefix}|${e.pathId}`)).toEqual(
      bgpdumpAp.map((l) => l.split('|').slice(5, 7).join('|')),
    );
  });
});
