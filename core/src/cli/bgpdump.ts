#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { type BgpdumpOptions, bgpdumpLine } from '../format/bgpdump-line.js';
import { readMrtBatches } from '../mrt/read-mrt.js';
import { LineWriter } from './line-writer.js';

const USAGE = `usage: bgpdump [-m|-M] [-t dump|-t change] [-l] [-O <output-file>] [-q] <input-file>
Translates an MRT file (plain, gzip or bzip2; a path or an http(s) URL) into text,
one line per route, like bgpdump 1.6.2.

   -m         one line per entry with unix timestamps
   -M         one line per entry with human-readable timestamps (shorter lines)
   -t dump    RIB lines carry the time of the dump (the default)
   -t change  RIB lines carry the time of the last route change
   -l         add a large-communities field after the communities
   -O <file>  write to <file> instead of standard output
   -q         quiet: no warnings about corrupted records
   -v, -s     accepted for compatibility (warnings go to standard error)
   -h         this help

bgpdump's multi-line default output (-H) is not implemented: use -m or -M.
`;

async function main(argv: string[]): Promise<number> {
  let values: ReturnType<typeof parseOptions>['values'];
  let positionals: string[];
  try {
    ({ values, positionals } = parseOptions(argv));
  } catch (err) {
    process.stderr.write(`bgpdump: ${(err as Error).message}\n${USAGE}`);
    return 1;
  }
  if (values.h) {
    process.stderr.write(USAGE);
    return 0;
  }
  const problem =
    positionals.length !== 1
      ? 'you must supply exactly one file to process'
      : values.H || (!values.m && !values.M)
        ? 'only the one-line modes -m and -M are implemented'
        : values.t !== undefined && values.t !== 'dump' && values.t !== 'change'
          ? `unknown -t option '${values.t}'`
          : undefined;
  if (problem) {
    process.stderr.write(`bgpdump: ${problem}\n${USAGE}`);
    return 1;
  }
  const options: BgpdumpOptions = {
    mode: values.M && !values.m ? 'M' : 'm',
    largeCommunities: values.l ?? false,
    ribTimeIsChange: values.t === 'change',
  };
  // Every field of a bgpdump line is ASCII (numbers, addresses, fixed words).
  const out = new LineWriter(values.O, 'latin1');
  for await (const batch of readMrtBatches(positionals[0], { multicast: true, keepRaw: false })) {
    for (const record of batch) {
      if (record.status !== 'valid') {
        if (!values.q)
          process.stderr.write(
            `bgpdump: warning: ${record.status} at ${record.timeSec}: ${record.error ?? ''}\n`,
          );
        continue;
      }
      for (const elem of record.elems) out.line(bgpdumpLine(record, elem, options));
    }
    await out.flushIfFull();
  }
  await out.close();
  return 0;
}

function parseOptions(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      m: { type: 'boolean' },
      M: { type: 'boolean' },
      H: { type: 'boolean' },
      t: { type: 'string' },
      l: { type: 'boolean' },
      O: { type: 'string' },
      q: { type: 'boolean' },
      v: { type: 'boolean' },
      s: { type: 'boolean' },
      h: { type: 'boolean' },
    },
  });
}

process.exitCode = await main(process.argv.slice(2));
