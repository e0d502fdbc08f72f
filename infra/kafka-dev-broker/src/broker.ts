/**
 * kafka-dev-broker: a single-node Kafka-protocol broker for tests and laptops. NOT for production: no
 * replication, no security, no retention, no transactions, no fsync.
 */

import { createServer, type Server } from 'node:net';
import type { BrokerContext, BrokerSettings } from './broker-context.js';
import { Connection } from './connection.js';
import { GroupCoordinator, type OffsetsSnapshot } from './group-coordinator.js';
import { DEFAULT_MAX_FRAME_BYTES } from './protocol/frame.js';
import { TopicStore } from './topic-store.js';

export interface BrokerOptions {
  /** TCP port; 0 (the default) picks a free ephemeral port. */
  port?: number;
  /** Address to bind. Default 127.0.0.1. */
  host?: string;
  /**
   * Host name given to clients in Metadata and FindCoordinator. Default: `host`, or 127.0.0.1 when binding
   * to a wildcard address (0.0.0.0 or ::).
   */
  advertisedHost?: string;
  /** Port given to clients. Default: the bound port. */
  advertisedPort?: number;
  /** Keep topics, offsets and state in this folder (created if needed); in memory when absent. */
  dataDir?: string;
  /** Partition count of auto-created topics and of CreateTopics with -1. Default 1. */
  partitions?: number;
  /** Create missing topics when a Metadata request allows it. Default true. */
  autoCreateTopics?: boolean;
  /** Largest record batch a producer may send (Kafka's message.max.bytes). Default 1048588, as in Kafka. */
  maxMessageBytes?: number;
  /** Largest request frame (Kafka's socket.request.max.bytes); larger ones close the connection. 100 MiB. */
  maxRequestBytes?: number;
  /** Decode uncompressed and gzip batches on Produce to validate their records. Default true. */
  validateRecords?: boolean;
  /** Delay before a new group's first generation, to gather members starting together. Default 500 ms. */
  groupInitialRebalanceDelayMs?: number;
  /** Node id in Metadata. Default 1. */
  nodeId?: number;
  /** Receives one line per request and per notable event. Default: silent. */
  log?: (message: string) => void;
}

export interface RunningBroker {
  /** The bound port. */
  readonly port: number;
  /** The bound host. */
  readonly host: string;
  /** `host:port` as clients should use it (the advertised address). */
  readonly bootstrap: string;
  /** Closes the server and every connection, ends long polls and flushes nothing (writes are synchronous). */
  stop(): Promise<void>;
}

const STATE_FILE = 'broker-state.json';
const OFFSETS_FILE = 'consumer-offsets.json';
const FIRST_PRODUCER_ID = 1000;

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

function checkPositiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/** Starts a broker and resolves once it listens. */
export async function startBroker(options: BrokerOptions = {}): Promise<RunningBroker> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => {});
  const settings: BrokerSettings = {
    nodeId: options.nodeId ?? 1,
    clusterId: 'kafka-dev-broker',
    defaultPartitions: checkPositiveInt('partitions', options.partitions ?? 1),
    autoCreateTopics: options.autoCreateTopics ?? true,
    maxMessageBytes: checkPositiveInt('maxMessageBytes', options.maxMessageBytes ?? 1_048_588),
    validateRecords: options.validateRecords ?? true,
  };
  const maxRequestBytes = checkPositiveInt(
    'maxRequestBytes',
    options.maxRequestBytes ?? DEFAULT_MAX_FRAME_BYTES,
  );

  const store = TopicStore.open({ dataDir: options.dataDir });
  const state = store.readState<{ nextProducerId?: number }>(STATE_FILE) ?? {};
  let nextProducerId = Math.max(FIRST_PRODUCER_ID, state.nextProducerId ?? 0);

  const groups = new GroupCoordinator({
    initialRebalanceDelayMs: options.groupInitialRebalanceDelayMs ?? 500,
    partitionExists: (topic, partition) => store.partition(topic, partition) !== undefined,
    initialOffsets: store.readState<OffsetsSnapshot>(OFFSETS_FILE),
    onOffsetsCommitted: (snapshot) => store.writeState(OFFSETS_FILE, snapshot),
    log,
  });

  let stopping = false;
  let signalStopping!: () => void;
  const stoppingPromise = new Promise<void>((resolve) => {
    signalStopping = resolve;
  });
  const advertised = { host: options.advertisedHost ?? (isWildcard(host) ? '127.0.0.1' : host), port: 0 };
  const ctx: BrokerContext = {
    settings,
    advertised,
    store,
    groups,
    nextProducerId: () => {
      const id = nextProducerId++;
      store.writeState(STATE_FILE, { nextProducerId });
      return id;
    },
    isStopping: () => stopping,
    stopping: stoppingPromise,
    log,
  };

  const connections = new Set<Connection>();
  const server: Server = createServer((socket) => {
    if (stopping) {
      socket.destroy();
      return;
    }
    connections.add(new Connection(socket, ctx, maxRequestBytes, (c) => connections.delete(c)));
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: options.port ?? 0, host }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    groups.close();
    store.close();
    throw e;
  }
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('unexpected server address');
  advertised.port = options.advertisedPort ?? address.port;
  log(`listening on ${host}:${address.port}, advertised as ${advertised.host}:${advertised.port}`);

  let stopped: Promise<void> | undefined;
  return {
    port: address.port,
    host,
    bootstrap: `${advertised.host.includes(':') ? `[${advertised.host}]` : advertised.host}:${advertised.port}`,
    stop() {
      if (stopped !== undefined) return stopped;
      stopping = true;
      signalStopping();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const c of connections) c.destroy();
      connections.clear();
      groups.close();
      store.close();
      stopped = closed.then(() => log('stopped'));
      return stopped;
    },
  };
}
