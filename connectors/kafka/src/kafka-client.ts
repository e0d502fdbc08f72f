import { Kafka, type KafkaConfig, type LogEntry, logLevel, type RetryOptions } from 'kafkajs';

/** Connection settings shared by the sink and the source. */
export interface KafkaConnectionOptions {
  /** `host:port` list (or one comma-separated string). */
  brokers: string[] | string;
  clientId?: string;
  /** Milliseconds to open one TCP connection. Default 3000. */
  connectionTimeoutMs?: number;
  /** Milliseconds for one request. Default 30000. */
  requestTimeoutMs?: number;
  /**
   * Milliseconds, at most, for the first connection (all retries included) before the run fails
   * with an error naming the brokers. Default 10000.
   */
  connectTimeoutMs?: number;
  /**
   * Retries once connected (a broker restarting, a leader moving): kafkajs retry settings. Default
   * 12 retries from 300 ms up to 5 s apart: an outage of about 45 s is waited out.
   */
  retry?: RetryOptions;
  /** TLS and SASL, passed to kafkajs as they are. */
  ssl?: KafkaConfig['ssl'];
  sasl?: KafkaConfig['sasl'];
  /** kafkajs log lines (warnings and errors); silent by default. */
  log?: (level: 'error' | 'warn' | 'info' | 'debug', message: string) => void;
}

export const DEFAULT_RETRY: RetryOptions = { retries: 12, initialRetryTime: 300, maxRetryTime: 5000 };

/** The failure to reach Kafka at all: names every broker address and the cause. */
export class KafkaConnectError extends Error {
  constructor(
    readonly brokers: readonly string[],
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'KafkaConnectError';
  }
}

/** Splits and checks a broker list: each `host:port` (IPv6 as `[addr]:port`). Throws naming the bad entry. */
export function parseBrokers(brokers: string[] | string): string[] {
  const list = (Array.isArray(brokers) ? brokers : [brokers])
    .flatMap((b) => b.split(','))
    .map((b) => b.trim())
    .filter((b) => b !== '');
  if (list.length === 0) throw new Error('no Kafka brokers given (expected host:port[,host:port...])');
  for (const b of list) {
    const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]\s]+):(\d{1,5})$/.exec(b);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) {
      throw new Error(`Kafka broker '${b}' is not host:port`);
    }
  }
  return list;
}

function logCreator(log: KafkaConnectionOptions['log']) {
  return () =>
    ({ level, log: entry }: LogEntry) => {
      // Deliberate: retries are bounded so that an outage longer than `retry` allows ends the export.
      if (!log || entry.message.startsWith('Limiting retries for the idempotent producer')) return;
      const name =
        level === logLevel.ERROR
          ? 'error'
          : level === logLevel.WARN
            ? 'warn'
            : level === logLevel.INFO
              ? 'info'
              : 'debug';
      log(name, entry.message);
    };
}

/**
 * A kafkajs client. `quick` makes the one used to check that the brokers answer: few retries, so
 * that an unreachable broker is reported within `connectTimeoutMs`.
 */
export function createKafka(options: KafkaConnectionOptions, quick = false): Kafka {
  const brokers = parseBrokers(options.brokers);
  return new Kafka({
    brokers,
    clientId: options.clientId ?? 'bgpstream-ts',
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    retry: quick
      ? { retries: 2, initialRetryTime: 200, maxRetryTime: 1000 }
      : { ...DEFAULT_RETRY, ...options.retry },
    ssl: options.ssl,
    sasl: options.sasl,
    logLevel: options.log ? logLevel.WARN : logLevel.NOTHING,
    logCreator: logCreator(options.log),
  });
}

/**
 * Checks that the brokers answer (an admin client connects and reads the cluster metadata), within
 * `connectTimeoutMs`; throws a {@link KafkaConnectError} naming the brokers otherwise.
 */
export async function checkBrokers(options: KafkaConnectionOptions): Promise<void> {
  const brokers = parseBrokers(options.brokers);
  const limit = options.connectTimeoutMs ?? 10_000;
  const admin = createKafka(options, true).admin();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${limit} ms`)), limit);
  });
  try {
    await Promise.race([
      (async () => {
        await admin.connect();
        await admin.describeCluster();
      })(),
      timeout,
    ]);
  } catch (err) {
    const cause = (err as { cause?: Error }).cause?.message ?? (err as Error).message;
    throw new KafkaConnectError(
      brokers,
      `cannot connect to Kafka broker${brokers.length > 1 ? 's' : ''} ${brokers.join(', ')}: ${cause}`,
      { cause: err },
    );
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => {});
  }
}

/** The message of an error from kafkajs, with its cause (kafkajs wraps the reason in `cause`). */
export function describeKafkaError(err: unknown): string {
  const e = err as Error & { cause?: Error; broker?: string };
  let text = e?.message ?? String(err);
  if (e?.cause?.message && !text.includes(e.cause.message)) text += `: ${e.cause.message}`;
  return text;
}
