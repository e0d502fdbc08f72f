#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { bgpreaderBgpdumpLine, bgpreaderElemLine, bgpreaderRecordLine } from '../format/bgpreader-line.js';
import type { BGPStream } from '../stream/bgpstream.js';
import { LineWriter } from './line-writer.js';
import {
  buildStream,
  checkDashArguments,
  STREAM_VALUE_OPTIONS,
  streamOptionSpec,
  streamOptionsHelp,
  UsageError,
} from './stream-options.js';

const VERSION = '2.3.0';

function usage(): string {
  return `usage: bgpreader -w <start>[,<end>] [<options>]
Reads BGP data (MRT dumps, RIS Live, BMP) as one time-ordered stream and prints its records
and elems, like CAIDA's bgpreader 2.3.0; the same command lines print the same lines.

${streamOptionsHelp()}
   -n, --count <n>                     stop after <n> records (of any status)
Output:
   -e, --output-elems                  one line per elem (the default)
   -m, --output-bgpdump                bgpdump -m style lines (not with -e)
   -r, --output-records                one line per record
   -i, --output-headers                describe the output format first
   -v, --version                       print the version and exit
   -h, --help                          this help

Examples:
   bgpreader -d singlefile -o upd-file=updates.20150401.0000.bz2 -w 0 -f 'peer 25152'
   bgpreader -d csvfile -o csv-file=dumps.csv -w '2015-04-01 00:00','2015-04-01 01:00' -m
`;
}

const VALUE_OPTIONS = new Map([...STREAM_VALUE_OPTIONS, ['n', 'count']]);

interface Output {
  elems: boolean;
  records: boolean;
  bgpdump: boolean;
  headers: boolean;
  count: number;
}

function outputOf(values: Record<string, unknown>): Output {
  const countText = typeof values.count === 'string' ? values.count : undefined;
  if (countText !== undefined && !/^\d+$/.test(countText))
    throw new UsageError(`count '${countText}' is not a whole number`);
  const bgpdump = values['output-bgpdump'] === true;
  const records = values['output-records'] === true;
  let elems = values['output-elems'] === true;
  if (bgpdump && elems) throw new UsageError('-m (bgpdump output) cannot be combined with -e');
  if (!bgpdump && !records) elems = true;
  return {
    elems,
    records,
    bgpdump,
    headers: values['output-headers'] === true,
    count: Number(countText ?? 0),
  };
}

const RECORD_HEADER = `# Record format:
# <type>|<dump-pos>|<rec-ts-sec>.<rec-ts-usec>|<project>|<collector>|<router>|<router-ip>|<status>|<dump-time>
#
# <type>: R RIB, U Update
# <dump-pos>: B begin, M middle, E end
# <status>: V valid, E empty, F filtered, O outside interval, R corrupted record, U unsupported record, S corrupted source
#`;

const ELEM_HEADER = `# Elem format:
# <rec-type>|<elem-type>|<rec-ts-sec>.<rec-ts-usec>|<project>|<collector>|<router>|<router-ip>|<peer-ASN>|<peer-IP>|<prefix>|<next-hop-IP>|<AS-path>|<origin-AS>|<communities>|<old-state>|<new-state>
#
# <rec-type>: R RIB, U Update
# <elem-type>: R RIB, A announcement, W withdrawal, S state message
#`;

async function print(stream: BGPStream, o: Output): Promise<void> {
  const out = new LineWriter();
  if (o.headers) {
    if (o.records) out.line(RECORD_HEADER);
    if (o.elems) out.line(ELEM_HEADER);
  }
  let seen = 0;
  try {
    reading: for await (const batch of stream.batches()) {
      for (const record of batch) {
        const isRib = record.type === 'rib';
        // bgpreader marks the start and end of every RIB dump with its record line, whatever the output mode.
        if (isRib && record.dumpPosition === 'start') out.line(bgpreaderRecordLine(record));
        if (o.records) out.line(bgpreaderRecordLine(record));
        if (o.elems) for (const e of record.elems) out.line(bgpreaderElemLine(record, e));
        if (o.bgpdump) for (const e of record.elems) out.line(bgpreaderBgpdumpLine(record, e));
        if (isRib && record.dumpPosition === 'end' && (o.elems || o.bgpdump))
          out.line(bgpreaderRecordLine(record));
        if (o.count > 0 && ++seen >= o.count) break reading;
      }
      await out.flushIfFull();
    }
  } finally {
    await stream.close();
    await out.close();
  }
}

async function main(argv: string[]): Promise<number> {
  let stream: BGPStream | 'listed';
  let output: Output;
  try {
    if (argv.length === 0) throw new UsageError('no arguments given');
    checkDashArguments(argv, VALUE_OPTIONS);
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        ...streamOptionSpec(),
        count: { type: 'string', short: 'n' },
        'output-elems': { type: 'boolean', short: 'e' },
        'output-bgpdump': { type: 'boolean', short: 'm' },
        'output-records': { type: 'boolean', short: 'r' },
        'output-headers': { type: 'boolean', short: 'i' },
        version: { type: 'boolean', short: 'v' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      process.stderr.write(usage());
      return 0;
    }
    if (values.version) {
      process.stderr.write(`bgpreader version ${VERSION} (bgpstream-ts)\n`);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    output = outputOf(values);
    stream = buildStream(values);
    if (stream === 'listed') return 0;
    stream.start();
  } catch (err) {
    const usageError =
      err instanceof UsageError || String((err as { code?: string }).code).startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`ERROR: ${(err as Error).message}\n${usageError ? usage() : ''}`);
    return 255;
  }
  try {
    await print(stream, output);
    return 0;
  } catch (err) {
    process.stderr.write(`ERROR: Failed to get record from stream: ${(err as Error).message}\n`);
    return 255;
  }
}

process.exitCode = await main(process.argv.slice(2));
