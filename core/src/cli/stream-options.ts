import { getDataInterfaceType, getDataInterfaceTypes } from '../datainterfaces/index.js';
import { BGPStream } from '../stream/bgpstream.js';
import { parseTime } from '../stream/time.js';

/** A mistake on the command line: the message says what, and the caller prints the usage. */
export class UsageError extends Error {}

/** bgpreader's stream options that take a value, short name → long name. */
export const STREAM_VALUE_OPTIONS: ReadonlyMap<string, string> = new Map([
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
]);
const REPEATABLE = new Set(['o', 'p', 'c', 'R', 't', 'T', 'j', 'J', 'a', 'k', 'y', 'A']);

type OptionSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean };

/** The stream options in `util.parseArgs` form, to spread into a command's own options. */
export function streamOptionSpec(): Record<string, OptionSpec> {
  const spec: Record<string, OptionSpec> = {};
  for (const [s, l] of STREAM_VALUE_OPTIONS)
    spec[l] = { type: 'string', short: s, multiple: REPEATABLE.has(s) };
  spec.live = { type: 'boolean', short: 'l' };
  return spec;
}

/** Help text for the stream options, shared by bgpreader and `bgpstream export`. */
export function streamOptionsHelp(): string {
  const dis = getDataInterfaceTypes()
    .map((t) => `                                         ${t.name.padEnd(11)} ${t.description}`)
    .join('\n');
  return `Data source:
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
   -f, --filter <filter string>        e.g. 'peer 25152 and prefix more 2a02::/16 and ipv 6'`;
}

/** bgpreader refuses a spaced argument that starts with '-': it is most likely a forgotten value. */
export function checkDashArguments(
  argv: readonly string[],
  valueOptions: ReadonlyMap<string, string>,
  longOnlyValueOptions: readonly string[] = [],
): void {
  const longs = new Set([...valueOptions.values(), ...longOnlyValueOptions]);
  for (let i = 0; i < argv.length - 1; i++) {
    const a = argv[i];
    const short = /^-([A-Za-z])$/.exec(a)?.[1];
    const long = a.startsWith('--') && !a.includes('=') ? a.slice(2) : undefined;
    const takesValue =
      (short !== undefined && valueOptions.has(short)) || (long !== undefined && longs.has(long));
    const next = argv[i + 1];
    if (takesValue && next.startsWith('-') && next !== '-') {
      const longName = short ? valueOptions.get(short) : long;
      throw new UsageError(
        `the argument of ${a} starts with '-' ('${next}'); write it as -${short ?? 'X'}'${next}' or --${longName}='${next}'`,
      );
    }
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: unknown): string[] => (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []);

/** Prints a data interface's options (for `-o?`). */
export function listDataInterfaceOptions(name: string): void {
  const type = getDataInterfaceType(name);
  process.stderr.write(`Data interface options for '${type.name}':\n`);
  for (const opt of type.options) {
    const def = opt.defaultValue !== undefined ? ` (default: ${opt.defaultValue})` : '';
    process.stderr.write(`   ${opt.name.padEnd(14)} ${opt.description}${def}\n`);
  }
}

/**
 * Builds a stream from parsed stream options, in bgpreader's order: the CLI
 * filters first, the -f string last. Returns 'listed' after `-o?`. Throws,
 * naming the bad value, on any configuration error.
 */
export function buildStream(values: Record<string, unknown>): BGPStream | 'listed' {
  const diName = str(values['data-interface']) ?? 'broker';
  const stream = new BGPStream({ dataInterface: diName });
  for (const o of list(values['data-interface-option'])) {
    if (o === '?') {
      listDataInterfaceOptions(diName);
      return 'listed';
    }
    const eq = o.indexOf('=');
    if (eq <= 0) throw new UsageError(`data interface option '${o}' is not name=value`);
    stream.setDataInterfaceOption(diName, o.slice(0, eq), o.slice(eq + 1));
  }
  const filterOptions = [
    'project',
    'collector',
    'router',
    'record-type',
    'resource-type',
    'peer-asn',
    'not-peer-asn',
    'origin-asn',
    'prefix',
    'community',
    'aspath',
  ];
  for (const option of filterOptions)
    for (const value of list(values[option])) stream.addFilter(option, value);
  const window = str(values['time-window']);
  const recent = str(values.interval);
  const live = values.live === true;
  if (window !== undefined) {
    const [startText, endText] = window.split(',', 2);
    const begin = parseTime(startText);
    if (begin === undefined) throw new UsageError(`bad start time in '${window}'`);
    const end = endText === undefined ? 0 : parseTime(endText);
    if (end === undefined) throw new UsageError(`bad end time in '${window}'`);
    // A start of 0 means no window, as in bgpreader.
    if (begin !== 0) stream.addIntervalFilter(begin, end);
  }
  if (recent !== undefined) stream.addRecentIntervalFilter(recent, live);
  if (live) stream.setLiveMode();
  if ((window === undefined || parseTime(window.split(',')[0]) === 0) && recent === undefined) {
    if (diName === 'broker') {
      process.stderr.write('WARN: No time window specified, defaulting to live mode\n');
      stream.addIntervalFilter(Math.floor(Date.now() / 1000), 0);
    } else {
      process.stderr.write('WARN: No time window specified, defaulting to all available data\n');
    }
  }
  const period = str(values['rib-period']);
  if (period !== undefined) {
    if (!/^\d+$/.test(period))
      throw new UsageError(`RIB period '${period}' is not a whole number of seconds`);
    stream.addRibPeriodFilter(Number(period));
  }
  const filter = str(values.filter);
  if (filter !== undefined) stream.parseFilterString(filter);
  return stream;
}
