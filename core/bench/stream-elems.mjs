// Child process of decode-bench.mjs: runs a BGPStream over dump files (csvfile) with an optional
// filter string and a number of worker threads, and prints {elems, records, seconds, rss} as JSON.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BGPStream } from '../dist/index.js';

const [filter, workers, ...files] = process.argv.slice(2);
const csv = path.join(tmpdir(), `bgpstream-ts-bench-${process.pid}.csv`);
writeFileSync(csv, files.map((f, i) => `${f},bench,updates,c${i},1000000000,900,1000000000\n`).join(''));
const stream = new BGPStream({
  dataInterface: 'csvfile',
  dataInterfaceOptions: { 'csv-file': csv },
  ...(filter === '-' ? {} : { filter }),
  workers: Number(workers),
});
const t0 = performance.now();
let elems = 0;
let records = 0;
for await (const batch of stream.batches())
  for (const record of batch) {
    records++;
    elems += record.elems.length;
  }
const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ elems, records, seconds, rss: process.resourceUsage().maxRSS * 1024 }));
