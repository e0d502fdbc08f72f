import WebSocket from 'ws';
import { describeError, SourceError } from '../io/source-error.js';

const MAX_MESSAGE_BYTES = 16 << 20;

/**
 * The `data` of RIS Live's `ris_subscribe` message (https://ris-live.ripe.net/manual/). Only the
 * fields set are sent; `socketOptions.includeRaw` is always turned on, since UPDATE records are
 * decoded from `raw`.
 */
export interface RisSubscribeData {
  /** Collector, e.g. `rrc00`. */
  host?: string;
  /** UPDATE, OPEN, NOTIFICATION, KEEPALIVE or RIS_PEER_STATE. */
  type?: string;
  /** One prefix or several; RIS Live matches more-specifics by default. */
  prefix?: string | string[];
  /** Peer IP address. */
  peer?: string;
  socketOptions?: { includeRaw?: boolean; acknowledge?: boolean };
  [field: string]: unknown;
}

/** What `websocketLines` counts, for monitoring and tests. The caller passes the object and reads it. */
export interface WebsocketLinesStats {
  /** Connections opened (handshake done). */
  connects: number;
  /** Connections that ended (closed, dropped or failed), including attempts that never opened. */
  disconnects: number;
  /** Text messages received. */
  messages: number;
  /** Times the socket was paused because the consumer was behind. */
  pauses: number;
  /** Largest number of received lines waiting for the consumer. */
  maxPending: number;
}

export interface WebsocketLinesOptions {
  /**
   * Consecutive failed connections (ended before any message arrived) tolerated; one more and the
   * generator throws a `SourceError`. Default 10.
   */
  maxRetries?: number;
  /**
   * Lines held for a slow consumer before the socket is paused (default 10000); it is resumed when
   * half of them were taken. A paused socket still delivers the messages of the network read in
   * progress, so the queue may pass this by the messages of one read (at most 64 KiB on the wire).
   */
  queueSize?: number;
  /** First reconnect delay; it doubles with each consecutive failure (default 1000 ms). */
  minRetryDelayMs?: number;
  /** Reconnect delay cap (default 60000 ms). */
  maxRetryDelayMs?: number;
  /** Opening handshake timeout (default 30000 ms). */
  handshakeTimeoutMs?: number;
  stats?: WebsocketLinesStats;
}

/** The `ris-live` data interface's settings, carried by its resource to `openResource`. */
export interface RisLiveStreamOptions extends WebsocketLinesOptions {
  subscribe?: RisSubscribeData;
}

export function newWebsocketLinesStats(): WebsocketLinesStats {
  return { connects: 0, disconnects: 0, messages: 0, pauses: 0, maxPending: 0 };
}

/** The `ris_subscribe` message sent after each (re)connection. */
export function risSubscribeMessage(subscribe: RisSubscribeData | null): string {
  const data = { ...(subscribe ?? {}) };
  data.socketOptions = { ...data.socketOptions, includeRaw: true };
  return JSON.stringify({ type: 'ris_subscribe', data });
}

/**
 * The text messages of a RIS Live websocket, one line each (a message holding several lines is
 * split). Sends the subscription after every open; reconnects after a close or error with capped
 * exponential back-off, and throws a `SourceError` after `maxRetries` consecutive connections
 * that ended without delivering anything. Buffering is bounded: the socket is paused while
 * `queueSize` lines wait for the consumer. `return()` (a `break` out of `for await`) or aborting
 * `signal` closes the socket and ends the generator without an error.
 */
export async function* websocketLines(
  url: string,
  subscribe: RisSubscribeData | null,
  signal?: AbortSignal,
  options: WebsocketLinesOptions = {},
): AsyncGenerator<string> {
  const maxRetries = options.maxRetries ?? 10;
  const queueSize = Math.max(1, options.queueSize ?? 10_000);
  const lowWater = Math.floor(queueSize / 2);
  const minDelay = options.minRetryDelayMs ?? 1000;
  const maxDelay = options.maxRetryDelayMs ?? 60_000;
  const stats = options.stats ?? newWebsocketLinesStats();
  const subscription = risSubscribeMessage(subscribe);

  // Lines received and not yet handed out: queue[head..].
  let queue: (string | undefined)[] = [];
  let head = 0;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  let ws: WebSocket | null = null;
  let ended = false;
  let delivered = false;
  let lastProblem = '';
  signal?.addEventListener('abort', notify);

  const connect = (): WebSocket => {
    ended = false;
    delivered = false;
    lastProblem = '';
    const sock = new WebSocket(url, {
      handshakeTimeout: options.handshakeTimeoutMs ?? 30_000,
      // RIS Live messages are small; this bounds what one malformed frame can make us buffer.
      maxPayload: MAX_MESSAGE_BYTES,
    });
    sock.on('open', () => {
      stats.connects++;
      sock.send(subscription);
    });
    sock.on('message', (data) => {
      if (sock !== ws) return;
      stats.messages++;
      delivered = true;
      const text = rawText(data);
      if (text.includes('\n')) {
        for (const line of text.split('\n')) if (line.trim() !== '') queue.push(line);
      } else {
        queue.push(text);
      }
      const pending = queue.length - head;
      if (pending > stats.maxPending) stats.maxPending = pending;
      if (pending >= queueSize && !sock.isPaused) {
        sock.pause();
        stats.pauses++;
      }
      notify();
    });
    sock.on('error', (err) => {
      lastProblem = describeError(err);
    });
    sock.on('close', (code, reason) => {
      if (sock !== ws) return;
      stats.disconnects++;
      if (lastProblem === '') {
        const why = reason.length > 0 ? `: ${reason.toString()}` : '';
        lastProblem = `connection closed (code ${code}${why})`;
      }
      ended = true;
      notify();
    });
    return sock;
  };

  let failures = 0;
  try {
    while (!signal?.aborted) {
      ws = connect();
      for (;;) {
        if (signal?.aborted) return;
        if (head < queue.length) {
          const line = queue[head] as string;
          queue[head++] = undefined;
          if (head === queue.length) {
            queue = [];
            head = 0;
          } else if (head >= 4096 && head * 2 >= queue.length) {
            queue = queue.slice(head);
            head = 0;
          }
          if (ws.isPaused && queue.length - head <= lowWater) ws.resume();
          yield line;
          continue;
        }
        if (ended) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
      // The connection is gone and everything it delivered was handed out.
      failures = delivered ? 0 : failures + 1;
      if (failures > maxRetries) {
        throw new SourceError(
          url,
          `gave up after ${failures} failed connection attempt${failures === 1 ? '' : 's'}: ${lastProblem}`,
        );
      }
      await sleep(Math.min(maxDelay, minDelay * 2 ** Math.max(0, failures - 1)), signal);
    }
  } finally {
    signal?.removeEventListener('abort', notify);
    const sock = ws;
    ws = null;
    if (sock) closeQuietly(sock);
  }
}

function rawText(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function closeQuietly(sock: WebSocket): void {
  sock.removeAllListeners('message');
  // Errors of a socket being given up (a handshake cut short) are of no interest any more.
  sock.on('error', () => {});
  if (sock.readyState === WebSocket.CONNECTING) {
    sock.terminate();
  } else if (sock.readyState === WebSocket.OPEN) {
    // A paused socket would never read the server's closing handshake.
    if (sock.isPaused) sock.resume();
    sock.close(1000, 'bgpstream-ts: done');
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
