#!/usr/bin/env node
// Kafka connector benchmark (not a test): the sink into the development broker for each message
// format, and the consumer side (the `kafka` data interface) for the formats it reads, with
// messages/s, elems/s and peak RSS. Every measurement runs in a process of its own (clean peak
// RSS); the broker runs in another. The reference, measured in the same run: decoding the same
// MRT files without Kafka (for the sink), and a bare kafkajs consumer that only counts messages
// (for the source).
//
//   node bench/kafka-bench.mjs [repeat]     (default 8: the two libbgpstream samples 8 times, ~81k elems)
//
// Build first: npx turbo run build --filter=@bgpstream-ts/kafka...
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const BROKER_CLI = fileURLToPath(new URL('../../../infra/kafka-dev-broker/dist/cli.js', import.meta.url));
const DIR = '/work/shared/mrt-samples/libbgpstream';
const SAMPLES = [
  { path: `${DIR}/ris.rrc06.updates.1427846400.gz`, project: 'ris', collector: 'rrc06' },
  {
    path: `${DIR}/routeviews.route-views.jinx.updates.1427846400.bz2`,
    project: 'routeviews',
    collector: 'route-views.jinx',
  },
];

/** The samples `repeat` times, each pass as other dumps (dump time + pass), decoded as they are read. */
async function* input(repeat) {
  const { readMrtBatches } = await import('@bgpstream-ts/core');
  for (let pass = 0; pass < repeat; pass++) {
    for (const s of SAMPLES) {
      const source = {
        project: s.project,
        collector: s.collector,
        type: 'update',
        dumpTime: 1427846400 + pass * 900,
      };
      yield* readMrtBatches(s.path, { source });
    }
  }
}

function peakRss() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().rss);
  };
}

/** One measurement, in this (child) process: prints a JSON line. */
async function child(role, arg, bootstrap, repeat) {
  const stop = peakRss();
  const t0 = performance.now();
  let out;
  if (role === 'decode') {
    let records = 0;
    let elems = 0;
    for await (const batch of input(repeat)) {
      records += batch.length;
      for (const r of batch) elems += r.elems.length;
    }
    out = { records, elems, messages: 0, bytes: 0 };
  } else if (role === 'produce') {
    // kafkajs alone: the json messages (values, keys, headers) built beforehand, sent with the
    // exporter's producer settings, 1000 per request.
    const { Kafka, logLevel } = await import('kafkajs');
    const { elemJsonText } = await import('@bgpstream-ts/kafka');
    const all = [];
    for await (const batch of input(repeat)) {
      for (const r of batch) {
        r.elems.forEach((e, i) => {
          all.push({
            key: e.prefix?.toString() ?? '',
            value: Buffer.from(elemJsonText(r, e)),
            headers: {
              'bgpstream-format': 'json',
              'bgpstream-schema-version': '1',
              'bgpstream-project': r.project,
              'bgpstream-collector': r.collector,
              'bgpstream-record-type': r.type,
              'bgpstream-dump-time': String(r.dumpTime),
              'bgpstream-record-id': `${r.project}/${r.collector}/${r.type}/${r.dumpTime}/${all.length}/${i}`,
            },
          });
        });
      }
    }
    const kafka = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'bench.produce', numPartitions: 4 }] });
    await admin.disconnect();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const t1 = performance.now();
    for (let i = 0; i < all.length; i += 1000) {
      const messages = all.slice(i, i + 1000).map((m, k) => ({ ...m, partition: (i + k) % 4 }));
      await producer.sendBatch({ topicMessages: [{ topic: 'bench.produce', messages }], acks: -1 });
    }
    await producer.disconnect();
    out = {
      records: 0,
      elems: all.length,
      messages: all.length,
      bytes: all.reduce((n, m) => n + m.value.length, 0),
    };
    out.seconds = (performance.now() - t1) / 1000;
    out.rss = stop();
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  } else if (role === 'sink') {
    const { exportToKafka } = await import('@bgpstream-ts/kafka');
    const s = await exportToKafka(input(repeat), {
      brokers: bootstrap,
      format: arg,
      partitions: 4,
      topicTemplate: `bench.${arg}.{project}`,
    });
    out = { records: s.records, elems: s.elems, messages: s.messages, bytes: s.bytes };
  } else if (role === 'source') {
    await import('@bgpstream-ts/kafka');
    const { BGPStream } = await import('@bgpstream-ts/core');
    const stream = new BGPStream({
      dataInterface: 'kafka',
      dataInterfaceOptions: {
        brokers: bootstrap,
        topic: `bench.${arg}.ris,bench.${arg}.routeviews`,
        'data-type': arg,
        offset: 'earliest',
        'stop-at-end': 'true',
      },
    });
    let records = 0;
    let elems = 0;
    for await (const batch of stream.batches()) {
      records += batch.length;
      for (const r of batch) elems += r.elems.length;
    }
    out = { records, elems, messages: 0, bytes: 0 };
  } else {
    // raw: a kafkajs consumer that only counts messages and bytes.
    const { Kafka, logLevel } = await import('kafkajs');
    const kafka = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING });
    const topics = [`bench.${arg}.ris`, `bench.${arg}.routeviews`];
    const admin = kafka.admin();
    await admin.connect();
    let total = 0;
    for (const t of topics)
      for (const o of await admin.fetchTopicOffsets(t)) total += Number(o.high) - Number(o.low);
    await admin.disconnect();
    const consumer = kafka.consumer({ groupId: `raw-${Date.now()}`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    let messages = 0;
    let bytes = 0;
    await new Promise((resolve) => {
      consumer.run({
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) {
            messages++;
            bytes += m.value?.length ?? 0;
          }
          if (messages >= total) resolve();
        },
      });
    });
    await consumer.disconnect();
    out = { records: 0, elems: 0, messages, bytes };
  }
  out.seconds = (performance.now() - t0) / 1000;
  out.rss = stop();
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function run(args) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [SELF, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    p.stdout.on('data', (d) => {
      text += d;
    });
    p.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(text.trim().split('\n').pop()))
        : reject(new Error(`${args.join(' ')}: exit ${code}`)),
    );
  });
}

async function main() {
  const repeat = Number(process.argv[2] ?? 8);
  if (!SAMPLES.every((s) => existsSync(s.path))) {
    console.log(`SKIPPED: the libbgpstream samples are not in ${DIR}`);
    return;
  }
  const broker = spawn(process.execPath, [BROKER_CLI, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const bootstrap = await new Promise((resolve) => {
    broker.stdout.on('data', (d) => {
      const m = /listening on (\S+)/.exec(String(d));
      if (m) resolve(m[1]);
    });
  });
  const rows = [];
  const fmt = (n) => Math.round(n).toLocaleString('en-US');
  const add = (what, r, ref) =>
    rows.push({
      what,
      messages: r.messages,
      elems: r.elems,
      'msg/s': r.messages ? fmt(r.messages / r.seconds) : '',
      'elems/s': r.elems ? fmt(r.elems / r.seconds) : '',
      'MB/s': r.bytes ? (r.bytes / r.seconds / 1e6).toFixed(1) : '',
      seconds: r.seconds.toFixed(2),
      'peak RSS MB': (r.rss / 1048576).toFixed(0),
      'x reference': ref ? (r.seconds / ref.seconds).toFixed(2) : '',
    });
  try {
    const decode = await run(['--child', 'decode', '-', bootstrap, String(repeat)]);
    add('decode only (reference)', decode);
    const produce = await run(['--child', 'produce', '-', bootstrap, String(repeat)]);
    add('kafkajs producer alone, json messages built beforehand (reference)', produce);
    for (const format of ['json', 'arrow', 'mrt']) {
      add(
        `sink ${format}`,
        await run(['--child', 'sink', format, bootstrap, String(repeat)]),
        format === 'json' ? produce : decode,
      );
    }
    for (const format of ['json', 'mrt']) {
      const raw = await run(['--child', 'raw', format, bootstrap, String(repeat)]);
      add(`kafkajs count only, ${format} topics (reference)`, raw);
      add(
        `source data-type ${format}`,
        await run(['--child', 'source', format, bootstrap, String(repeat)]),
        raw,
      );
    }
  } finally {
    broker.kill('SIGTERM');
  }
  console.log(
    `Kafka connector, dev broker on ${bootstrap}, 4 partitions per topic, libbgpstream samples x${repeat}, node ${process.version}`,
  );
  console.table(rows);
  console.log(
    'x reference: seconds / its reference (sink json: kafkajs sending the same messages built beforehand; ' +
      'sink arrow, mrt: decoding alone; sources: a kafkajs consumer counting messages)',
  );
}

if (process.argv[2] === '--child') {
  const [, , , role, arg, bootstrap, repeat] = process.argv;
  await child(role, arg, bootstrap, Number(repeat));
} else {
  await main();
}
