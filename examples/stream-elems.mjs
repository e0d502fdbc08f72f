// Stream the elems of the demo dumps that match a BGPStream filter string, and count them.
//   node examples/stream-elems.mjs ['filter string']
import { fileURLToPath } from 'node:url';
import { BGPStream } from '@bgpstream-ts/core';

const demo = (name) => fileURLToPath(new URL(`./data/demo/${name}`, import.meta.url));
const filter = process.argv[2] ?? 'prefix more 203.0.113.0/24 and elemtype announcements';

const stream = new BGPStream({
  dataInterface: 'singlefile',
  dataInterfaceOptions: {
    'rib-file': demo('rib.20260101.0000.mrt.gz'),
    'upd-file': demo('updates.20260101.0000.mrt.gz'),
  },
  filter,
});

const origins = new Map();
for await (const elem of stream) {
  const key = `${elem.prefix} origin AS${elem.originAsnText}`;
  origins.set(key, (origins.get(key) ?? 0) + 1);
}
console.log(`filter: ${filter}`);
for (const [key, n] of [...origins].sort()) console.log(`${key}: ${n} elems`);
