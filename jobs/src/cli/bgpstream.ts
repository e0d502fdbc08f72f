#!/usr/bin/env node
// The `bgpstream` command: one entry point for what users run beyond bgpreader.
import { exportCommand } from '../commands/export.js';
import { ingestCommand } from '../commands/ingest.js';
import { queryCommand } from '../commands/query.js';

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  export: { run: exportCommand, summary: 'stream BGP data into Arrow IPC, a Parquet lake or Kafka topics' },
  query: { run: queryCommand, summary: 'SQL and named analyses over a Parquet lake (DuckDB)' },
  ingest: { run: ingestCommand, summary: 'fill a Parquet lake with many workers (BullMQ on Redis)' },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `   ${name.padEnd(8)} ${c.summary}`);
  return `usage: bgpstream <command> [options]   (bgpstream <command> -h for a command's options)\n\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help') {
    process.stderr.write(usage());
    return name === undefined ? 1 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`bgpstream: unknown command '${name}'\n${usage()}`);
    return 1;
  }
  return command.run(rest);
}

process.exitCode = await main(process.argv.slice(2));
