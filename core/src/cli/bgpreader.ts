#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { getDataInterfaceType, getDataInterfaceTypes } from '../datainterfaces/index.js';
import { bgpreaderBgpdumpLine, bgpreaderElemLine, bgpreaderRecordLine } from '../format/bgpreader-line.js';
import { BGPStream } from '../stream/bgpstream.js';
import { parseTime } from '../stream/time.js';
import { LineWriter } from './line-writer.js';

const VERSION = '2.3.0';

function usage(): string {
  const dis = getDataInterfaceTypes()
    .map((t) => `                                         ${t.name.padEnd(11)} ${t.description}`)
    .join('\n');
  return `usage: bgpreader -w <start>[,<end>] [<options>]
Reads BGP data (MRT dumps, RIS Live, BMP) as one time-ordered stream and prints its records
and elems, like CAIDA's bgpreader 2.3.0; the same command lines print the same lines.

Data source:
   -d, --data-interface <name>         where the dumps come from (default: broker):
${dis}
   -o, --data-interface-option <name=value>
                                       a data interface option (repeatable); -o? lists them
Time:
   -w, --time-window <start>[,<end>]   from <start> to <end>: unix seconds or 'YYYY-MM-DD[ HH:MM[:SS]]'
                                       in UTC; without <end>: live, waiting for new data
   -I, --interval '<n> <s|m|h|d>'      the last n seconds/minutes/hours/days (with -l: and onwards)
   -l, --live                          live mode: keep polling for new data
   -P, --rib-period <seconds>          at most one RIB dump per collector per <seconds>
Filters (repeat an option for OR; different options AND):
   -p, --project <name>                -c, --collector <name>          -R, --router <name>
   -t, --record-type <ribs|updates>    -T, --resource-type <stream|batch>
   -j, --peer-asn <asn>                -J, --not-peer-asn <asn>        -a, --origin-asn <asn>
   -k, --prefix <prefix>               elems for <prefix> or more specific ones
   -y, --community <asn:value>         either side may be '*'
   -A, --aspath <regex>                Cisco-style, e.g. '_3356_' or '!^174_'; all must hold
   -f, --filter <filter string>        e.g. 'peer 25152 and prefix more 2a02::/16 and ipv 6'
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

/** Options that take a value, by short and long name. */
const VALUE_OPTIONS = new Map<string, string>([
  ['d', 'data-interface'],
  ['o', 'data-interface-option'],
  ['f', 'filter'],
  ['I', 'interval'],
  ['w', 'time-window'],
  ['p', 'project'],
  ['c', 'collector'],
  ['R', 'router'],
  ['t', 'record-type'],
  ['T', 'resource-type'],
  ['P', 'rib-period'],
  ['j', 'peer-asn'],
  ['J', 'not-peer-asn'],
  ['a', 'origin-asn'],
  ['k', 'prefix'],
  ['y', 'community'],
  ['A', 'aspath'],
  ['n', 'count'],
]);
const FLAG_OPTIONS = new Map<string, string>([
  ['l', 'live'],
  ['e', 'output-elems'],
  ['m', 'output-bgpdump'],
  ['r', 'output-records'],
  ['i', 'output-headers'],
  ['v', 'version'],
  ['h', 'help'],
]);
const REPEATABLE = new Set(['o', 'p', 'c', 'R', 't', 'T', 'j', 'J', 'a', 'k', 'y', 'A']);

class UsageError extends Error {}

/** bgpreader refuses a spaced argument that starts with '-' (it is likely a forgotten value). */
function checkDashArguments(argv: string[]): void {
  for (let i = 0; i < argv.length - 1; i++) {
    const a = argv[i];
    const short = /^-([A-Za-z])$/.exec(a)?.[1];
    const long = a.startsWith('--') && !a.includes('=') ? a.slice(2) : undefined;
    const takesValue =
      (short && VALUE_OPTIONS.has(short)) || (long && [...VALUE_OPTIONS.values()].includes(long));
    if (takesValue && argv[i + 1].startsWith('-') && argv[i + 1] !== '-') {
      const name = short ?? long!;
      throw new UsageError(
        `the argument of ${a} starts with '-' ('${argv[i + 1]}'); write it as -${short ?? 'X'}'${argv[i + 1]}' or --${short ? VALUE_OPTIONS.get(name) : name}='${argv[i + 1]}'`,
      );
    }
  }
}

type Parsed = ReturnType<typeof parseCommandLine>;

function parseCommandLine(argv: string[]) {
  const options: Record<string, { type: 'string' | 'boolean'; short: string; multiple?: boolean }> = {};
  for (const [s, l] of VALUE_OPTIONS) options[l] = { type: 'string', short: s, multiple: REPEATABLE.has(s) };
  for (const [s, l] of FLAG_OPTIONS) options[l] = { type: 'boolean', short: s };
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  return { values: values as Record<string, string | string[] | boolean | undefined>, positionals };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: unknown): string[] => (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []);

interface Output {
  elems: boolean;
  records: boolean;
  bgpdump: boolean;
  headers: boolean;
  count: number;
}

/** Builds the stream from the command line, in bgpreader's order: CLI filters first, the -f string last. */
function configure(parsed: Parsed): { stream: BGPStream; output: Output } | 'listed' {
  const v = parsed.values;
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument '${parsed.positionals[0]}'`);
  const stream = new BGPStream({ dataInterface: str(v['data-interface']) ?? 'broker' });
  const diName = str(v['data-interface']) ?? 'broker';
  for (const o of list(v['data-interface-option'])) {
    if (o === '?') {
      const type = getDataInterfaceType(diName);
      process.stderr.write(`Data interface options for '${type.name}':\n`);
      for (const opt of type.options) {
        const def = opt.defaultValue !== undefined ? ` (default: ${opt.defaultValue})` : '';
        process.stderr.write(`   ${opt.name.padEnd(14)} ${opt.description}${def}\n`);
      }
      return 'listed';
    }
    const eq = o.indexOf('=');
    if (eq <= 0) throw new UsageError(`data interface option '${o}' is not name=value`);
    stream.setDataInterfaceOption(diName, o.slice(0, eq), o.slice(eq + 1));
  }
  const filterOptions: [string, string][] = [
    ['project', 'project'],
    ['collector', 'collector'],
    ['router', 'router'],
    ['record-type', 'record-type'],
    ['resource-type', 'resource-type'],
    ['peer-asn', 'peer-asn'],
    ['not-peer-asn', 'not-peer-asn'],
    ['origin-asn', 'origin-asn'],
    ['prefix', 'prefix'],
    ['community', 'community'],
    ['aspath', 'aspath'],
  ];
  for (const [option, filter] of filterOptions)
    for (const value of list(v[option])) stream.addFilter(filter, value);
  const window = str(v['time-window']);
  const recent = str(v.interval);
  const live = v.live === true;
  if (window !== undefined) {
    const [startText, endText] = window.split(',', 2);
    const begin = parseTime(startText);
    if (begin === undefined) throw new UsageError(`bad start time in '${window}'`);
    const end = endText === undefined ? 0 : parseTime(endText);
    if (end === undefined) throw new UsageError(`bad end time in '${window}'`);
    if (begin !== 0) stream.addIntervalFilter(begin, end);
    else if (endText !== undefined) stream.addIntervalFilter(0, end);
  }
  if (recent !== undefined) stream.addRecentIntervalFilter(recent, live);
  if (live) stream.setLiveMode();
  if (window === undefined && recent === undefined) {
    if (diName === 'broker') {
      process.stderr.write('WARN: No time window specified, defaulting to live mode\n');
      stream.addIntervalFilter(Math.floor(Date.now() / 1000), 0);
    } else {
      process.stderr.write('WARN: No time window specified, defaulting to all available data\n');
    }
  }
  const period = str(v['rib-period']);
  if (period !== undefined) {
    if (!/^\d+$/.test(period))
      throw new UsageError(`RIB period '${period}' is not a whole number of seconds`);
    stream.addRibPeriodFilter(Number(period));
  }
  const filter = str(v.filter);
  if (filter !== undefined) stream.parseFilterString(filter);
  const countText = str(v.count);
  if (countText !== undefined && !/^\d+$/.test(countText))
    throw new UsageError(`count '${countText}' is not a whole number`);
  const bgpdump = v['output-bgpdump'] === true;
  const records = v['output-records'] === true;
  let elems = v['output-elems'] === true;
  if (bgpdump && elems) throw new UsageError('-m (bgpdump output) cannot be combined with -e');
  if (!bgpdump && !records) elems = true;
  stream.start();
  return {
    stream,
    output: { elems, records, bgpdump, headers: v['output-headers'] === true, count: Number(countText ?? 0) },
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
    stream: for await (const batch of stream.batches()) {
      for (const record of batch) {
        const isRib = record.type === 'rib';
        // bgpreader marks the start and end of every RIB dump with its record line, whatever the output mode.
        if (isRib && record.dumpPosition === 'start') out.line(bgpreaderRecordLine(record));
        if (o.records) out.line(bgpreaderRecordLine(record));
        if (o.elems) for (const e of record.elems) out.line(bgpreaderElemLine(record, e));
        if (o.bgpdump) for (const e of record.elems) out.line(bgpreaderBgpdumpLine(record, e));
        if (isRib && record.dumpPosition === 'end' && (o.elems || o.bgpdump))
          out.line(bgpreaderRecordLine(record));
        if (o.count > 0 && ++seen >= o.count) break stream;
      }
      await out.flushIfFull();
    }
  } finally {
    await stream.close();
    await out.close();
  }
}

async function main(argv: string[]): Promise<number> {
  let configured: ReturnType<typeof configure>;
  try {
    if (argv.length === 0) throw new UsageError('no arguments given');
    checkDashArguments(argv);
    const parsed = parseCommandLine(argv);
    if (parsed.values.help) {
      process.stderr.write(usage());
      return 0;
    }
    if (parsed.values.version) {
      process.stderr.write(`bgpreader version ${VERSION} (bgpstream-ts)\n`);
      return 0;
    }
    configured = configure(parsed);
  } catch (err) {
    const message = (err as Error).message;
    process.stderr.write(
      `ERROR: ${message}\n${err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? usage() : ''}`,
    );
    return 255;
  }
  if (configured === 'listed') return 0;
  try {
    await print(configured.stream, configured.output);
    return 0;
  } catch (err) {
    process.stderr.write(`ERROR: Failed to get record from stream: ${(err as Error).message}\n`);
    return 255;
  }
}

process.exitCode = await main(process.argv.slice(2));
