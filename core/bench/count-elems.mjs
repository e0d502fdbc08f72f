// Child process of decode-bench.mjs: counts the elems of one MRT file through the library API and
// prints {elems, records, seconds, rss} as JSON.
import { readMrtBatches } from '../dist/index.js';

const t0 = performance.now();
let elems = 0;
let records = 0;
for await (const batch of readMrtBatches(process.argv[2], { keepRaw: false })) {
  records += batch.length;
  for (const r of batch) elems += r.elems.length;
}
const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ elems, records, seconds, rss: process.resourceUsage().maxRSS * 1024 }));
