#!/usr/bin/env node
/**
 * kafka-dev-broker --port 9092 [--host 127.0.0.1] [--data-dir DIR] [--partitions N] [--no-auto-create-topics]
 *                  [--verbose]
 *
 * Prints `kafka-dev-broker listening on <host>:<port>` once it accepts connections, and runs until SIGINT or
 * SIGTERM.
 */

import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BrokerOptions, type RunningBroker, startBroker } from './broker.js';

export const USAGE = `Usage: kafka-dev-broker [options]

A Kafka-protocol broker for tests and laptops. NOT for production.

Options:
  --port N                 TCP port (default 9092; 0 = any free port)
  --host ADDR              address to bind (default 127.0.0.1)
  --advertised-host NAME   host name given to clients (default: --host)
  --data-dir DIR           keep topics and committed offsets in DIR (default: memory only)
  --partitions N           partitions of auto-created topics (default 1)
  --no-auto-create-topics  answer UNKNOWN_TOPIC_OR_PARTITION for missing topics
  --verbose                log every request to stderr
  -h, --help               show this help
`;

export class UsageError extends Error {
  override name = 'UsageError';
}

function parseInteger(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value))
    throw new UsageError(`--${name} expects a whole number, got ${JSON.stringify(value)}`);
  const n = Number(value);
  if (n < min || (name === 'port' && n > 65535)) throw new UsageError(`--${name} out of range: ${value}`);
  return n;
}

/** Parses the command line into broker options (null when help was asked for). */
export function parseCliArgs(argv: string[]): BrokerOptions | null {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  if (v.help) return null;
  return {
    port: parseInteger('port', v.port, 9092, 0),
    host: v.host ?? '127.0.0.1',
    advertisedHost: v['advertised-host'],
    dataDir: v['data-dir'],
    partitions: parseInteger('partitions', v.partitions, 1, 1),
    autoCreateTopics: !v['no-auto-create-topics'],
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'advertised-host': { type: 'string' },
      'data-dir': { type: 'string' },
      partitions: { type: 'string' },
      'no-auto-create-topics': { type: 'boolean' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

/**
 * Runs the CLI: starts the broker and prints the listening line. Resolves with the running broker (or null
 * after --help). Throws UsageError on bad arguments.
 */
export async function runCli(argv: string[], io: CliIo): Promise<RunningBroker | null> {
  const options = parseCliArgs(argv);
  if (options === null) {
    io.stdout(USAGE);
    return null;
  }
  const verbose = argv.includes('--verbose');
  const broker = await startBroker({
    ...options,
    log: verbose ? (m) => io.stderr(`[kafka-dev-broker] ${m}`) : undefined,
  });
  io.stdout(`kafka-dev-broker listening on ${broker.host}:${broker.port}`);
  return broker;
}

async function main(): Promise<void> {
  const io: CliIo = {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
  };
  let broker: RunningBroker | null;
  try {
    broker = await runCli(process.argv.slice(2), io);
  } catch (e) {
    io.stderr(`kafka-dev-broker: ${(e as Error).message}`);
    if (e instanceof UsageError) io.stderr(USAGE);
    process.exitCode = e instanceof UsageError ? 2 : 1;
    return;
  }
  if (broker === null) return;
  const running = broker;
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    io.stderr(`kafka-dev-broker: ${signal}, stopping`);
    running.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        io.stderr(`kafka-dev-broker: ${(e as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

function isEntryPoint(): boolean {
  if (process.argv[1] === undefined) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) void main();
