// Read one MRT file without the stream: records in batches, the fastest way through a dump.
//   node examples/read-one-file.mjs [path-or-url]
import { fileURLToPath } from 'node:url';
import { readMrtBatches } from '@bgpstream-ts/core';

const file =
  process.argv[2] ?? fileURLToPath(new URL('./data/demo/updates.20260101.0000.mrt.gz', import.meta.url));
const byType = { A: 0, W: 0, S: 0, R: 0 };
const statuses = new Map();
for await (const batch of readMrtBatches(file)) {
  for (const record of batch) {
    statuses.set(record.status, (statuses.get(record.status) ?? 0) + 1);
    for (const elem of record.elems) byType[elem.type]++;
  }
}
console.log(`records by status: ${JSON.stringify(Object.fromEntries(statuses))}`);
console.log(`elems by type: ${JSON.stringify(byType)}`);
