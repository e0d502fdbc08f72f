#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { getDataInterfaceType, getDataInterfaceTypes } from '../datainterfaces/index.js';
import type { ResourceQuery } from '../datainterfaces/resource.js';
import { bgpreaderBgpdumpLine, bgpreaderElemLine, bgpreaderRecordLine } from '../format/bgpreader-line.js';
import type { RecordType } from '../model/record.js';
import type { TimeInterval } from '../mrt/mrt-reader.js';
import { mergeRecordStreams } from '../stream/merge.js';
import { openResource } from '../stream/open-resource.js';
import { parseTime } from '../stream/time.js';
import { LineWriter } from './line-writer.js';

const VERSION = '2.3.0';

const USAGE = `usage: bgpreader -w <start>[,<end>] [<options>]
Reads BGP data (MRT dumps) and prints records and elems, like CAIDA's bgpreader.

Data interface:
   -d, --data-interface <name>        data interface to use (default: broker); available:
${getDataInterfaceTypes()
  .map((t) => `                                        ${t.name.padEnd(11)} ${t.description}`)
  .join('\n')}
   -o, --data-interface-option <name=value>
                                      set a data interface option (repeatable); -o? lists them
Filters:
   -w, --time-window <start>[,<end>]  records from <start> to <end> (unix seconds or
                                      'Y-m-d[ H:M[:S]]' in UTC); no end: until the data ends
   -p, --project <name>               only this project (repeatable)
   -c, --collector <name>             only this collector (repeatable)
   -t, --record-type <ribs|updates>   only this record type (repeatable)
   -n, --count <n>                    stop after <n> records (of any status)
Output:
   -e, --output-elems                 one line per elem (the default)
   -m, --output-bgpdump               bgpdump -m style lines (not with -e)
   -r, --output-records               one line per record
   -i, --output-headers               describe the output format first
   -v, --version                      print the version
   -h, --help                         this help

Example:
   bgpreader -d singlefile -o upd-file=updates.20150401.0000.gz -w 0
`;

const NOT_YET = ['f', 'I', 'R', 'T', 'P', 'j', 'J', 'a', 'k', 'y', 'A', 'l'];

class UsageError extends Error {}

interface Config {
  dataInterface: string;
  diOptions: [string, string][];
  listOptions: boolean;
  interval: TimeInterval | null;
  query: ResourceQuery;
  count: number;
  elems: boolean;
  records: boolean;
  bgpdump: boolean;
  headers: boolean;
}

function parse(argv: string[]): Config | 'help' | 'version' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      'data-interface': { type: 'string', short: 'd' },
      'data-interface-option': { type: 'string', short: 'o', multiple: true },
      'time-window': { type: 'string', short: 'w' },
      project: { type: 'string', short: 'p', multiple: true },
      collector: { type: 'string', short: 'c', multiple: true },
      'record-type': { type: 'string', short: 't', multiple: true },
      count: { type: 'string', short: 'n' },
      'output-elems': { type: 'boolean', short: 'e' },
      'output-bgpdump': { type: 'boolean', short: 'm' },
      'output-records': { type: 'boolean', short: 'r' },
      'output-headers': { type: 'boolean', short: 'i' },
      version: { type: 'boolean', short: 'v' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (values.version) return 'version';
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  if (argv.length === 0) throw new UsageError('no arguments given');
  const diOptions: [string, string][] = [];
  let listOptions = false;
  for (const o of values['data-interface-option'] ?? []) {
    if (o === '?') {
      listOptions = true;
      continue;
    }
    const eq = o.indexOf('=');
    if (eq <= 0) throw new UsageError(`data interface option '${o}' is not name=value`);
    diOptions.push([o.slice(0, eq), o.slice(eq + 1)]);
  }
  let interval: TimeInterval | null = null;
  const window = values['time-window'];
  if (window !== undefined) {
    const [startText, endText] = window.split(',', 2);
    const begin = parseTime(startText);
    if (begin === undefined) throw new UsageError(`bad start time in '${window}'`);
    const end = endText === undefined ? 0 : parseTime(endText);
    if (end === undefined) throw new UsageError(`bad end time in '${window}'`);
    if (end !== 0 && begin > end) throw new UsageError(`time window '${window}' ends before it starts`);
    if (begin !== 0) interval = { begin, end };
  }
  const recordTypes = new Set<RecordType>();
  for (const t of values['record-type'] ?? []) {
    if (t !== 'ribs' && t !== 'updates') throw new UsageError(`record type '${t}' is not ribs or updates`);
    recordTypes.add(t === 'ribs' ? 'rib' : 'update');
  }
  let count = 0;
  if (values.count !== undefined) {
    if (!/^\d+$/.test(values.count)) throw new UsageError(`count '${values.count}' is not a whole number`);
    count = Number(values.count);
  }
  const bgpdump = values['output-bgpdump'] ?? false;
  const records = values['output-records'] ?? false;
  let elems = values['output-elems'] ?? false;
  if (bgpdump && elems) throw new UsageError('-m (bgpdump output) cannot be combined with -e');
  if (!bgpdump && !records) elems = true;
  return {
    dataInterface: values['data-interface'] ?? 'broker',
    diOptions,
    listOptions,
    interval,
    query: {
      projects: new Set(values.project),
      collectors: new Set(values.collector),
      recordTypes,
      interval,
    },
    count,
    elems,
    records,
    bgpdump,
    headers: values['output-headers'] ?? false,
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

async function run(config: Config): Promise<void> {
  const type = getDataInterfaceType(config.dataInterface);
  if (config.listOptions) {
    process.stderr.write(`Data interface options for '${type.name}':\n`);
    for (const o of type.options) process.stderr.write(`   ${o.name.padEnd(12)} ${o.description}\n`);
    return;
  }
  const di = type.create();
  for (const [name, value] of config.diOptions) di.setOption(name, value);
  di.validate();
  if (!config.interval)
    process.stderr.write('WARN: No time window specified, defaulting to all available data\n');

  const out = new LineWriter();
  if (config.headers) {
    if (config.records) out.line(RECORD_HEADER);
    if (config.elems) out.line(ELEM_HEADER);
  }
  const resources = await di.nextResources(config.query);
  resources.sort((a, b) => a.initialTime - b.initialTime);
  const streams = resources.map((r) => openResource(r, { interval: config.interval ?? undefined }));
  let seen = 0;
  for await (const record of mergeRecordStreams(streams)) {
    const isRib = record.type === 'rib';
    // bgpreader marks the start and end of every RIB dump with its record line, whatever the output mode.
    if (isRib && record.dumpPosition === 'start') out.line(bgpreaderRecordLine(record));
    if (config.records) out.line(bgpreaderRecordLine(record));
    if (config.elems) for (const e of record.elems) out.line(bgpreaderElemLine(record, e));
    if (config.bgpdump) for (const e of record.elems) out.line(bgpreaderBgpdumpLine(record, e));
    if (isRib && record.dumpPosition === 'end' && (config.elems || config.bgpdump)) {
      out.line(bgpreaderRecordLine(record));
    }
    await out.flushIfFull();
    if (config.count > 0 && ++seen >= config.count) break;
  }
  await out.close();
}

async function main(argv: string[]): Promise<number> {
  const notYet = argv.find((a) =>
    NOT_YET.some((f) => a === `-${f}` || (a.startsWith(`-${f}`) && a.length > 2 && !a.startsWith('--'))),
  );
  let config: ReturnType<typeof parse>;
  try {
    if (notYet) throw new UsageError(`option ${notYet.slice(0, 2)} is not implemented yet`);
    config = parse(argv);
  } catch (err) {
    process.stderr.write(`ERROR: ${(err as Error).message}\n${USAGE}`);
    return 255;
  }
  if (config === 'help') {
    process.stderr.write(USAGE);
    return 0;
  }
  if (config === 'version') {
    process.stderr.write(`bgpreader version ${VERSION} (bgpstream-ts)\n`);
    return 0;
  }
  try {
    await run(config);
    return 0;
  } catch (err) {
    process.stderr.write(`ERROR: ${(err as Error).message}\n`);
    return 255;
  }
}

process.exitCode = await main(process.argv.slice(2));
