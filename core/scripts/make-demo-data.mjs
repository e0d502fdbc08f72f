// Writes the demo data in examples/data/demo from the project's own encoder
// (core/src/demo/demo-data.ts; build core first). The output is byte-stable:
// the generator is seeded and gzip gets a fixed level and no timestamp, so
// running this again must leave the committed files unchanged.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildDemoDump } from '../dist/demo/demo-data.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Relative to the repository root, as demo.csv lists them. */
const dir = 'examples/data/demo';

const dump = buildDemoDump();
const stamp = new Date(dump.start * 1000)
  .toISOString()
  .replace(/^(\d+)-(\d+)-(\d+)T(\d+):(\d+).*$/, '$1$2$3.$4$5');
const files = [
  { name: `rib.${stamp}.mrt.gz`, bytes: dump.rib, type: 'ribs', duration: 120 },
  { name: `updates.${stamp}.mrt.gz`, bytes: dump.updates, type: 'updates', duration: 900 },
];

mkdirSync(join(repoRoot, dir), { recursive: true });
const rows = [];
for (const f of files) {
  // Node writes a zero MTIME in the gzip header; the level is fixed so the deflate output is too.
  const gz = gzipSync(f.bytes, { level: 9 });
  writeFileSync(join(repoRoot, dir, f.name), gz);
  console.log(`${dir}/${f.name}: ${f.bytes.length} bytes, ${gz.length} gzipped`);
  // bgpreader csvfile rows: path,project,type,collector,file_time,duration,timestamp (no header line).
  rows.push(`${dir}/${f.name},demo,${f.type},demo,${dump.start},${f.duration},${dump.start}`);
}
writeFileSync(join(repoRoot, dir, 'demo.csv'), `${rows.join('\n')}\n`);
console.log(`${dir}/demo.csv: ${rows.length} rows`);
console.log(JSON.stringify(dump.counts));
