import type { Socket } from 'node:net';
import type { BrokerContext } from './broker-context.js';
import { encodeApiVersionsAnswer } from './handlers/api-versions.js';
import { HANDLERS } from './handlers/index.js';
import { ApiKey, apiName, isSupportedVersion } from './protocol/api-keys.js';
import { ProtocolError } from './protocol/errors.js';
import { encodeResponseFrame, FrameDecoder } from './protocol/frame.js';
import { Reader } from './protocol/reader.js';
import { decodeRequestHeader, decodeRequestHeaderPrefix } from './protocol/request-header.js';

/** Stop reading from a client that has this many requests queued (resumed when the queue drains). */
const MAX_QUEUED_REQUESTS = 64;

/**
 * One client connection. Frames may arrive split across TCP chunks or several per chunk; requests are
 * processed strictly one after another and answered in order, as Kafka does (a long-polling Fetch delays the
 * requests behind it on the same connection).
 *
 * Like Kafka, the connection is closed on an unknown api key, an unsupported version (except ApiVersions,
 * which is answered with UNSUPPORTED_VERSION), a request that cannot be parsed, or a frame larger than
 * `maxRequestBytes`.
 */
export class Connection {
  private readonly decoder: FrameDecoder;
  private readonly queue: Buffer[] = [];
  private processing = false;
  private closed = false;
  private paused = false;
  readonly remote: string;

  constructor(
    private readonly socket: Socket,
    private readonly ctx: BrokerContext,
    maxRequestBytes: number,
    onClose: (c: Connection) => void,
  ) {
    this.remote = `${socket.remoteAddress}:${socket.remotePort}`;
    this.decoder = new FrameDecoder(maxRequestBytes);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => ctx.log(`connection ${this.remote}: ${err.message}`));
    socket.on('close', () => {
      this.closed = true;
      this.queue.length = 0;
      onClose(this);
    });
  }

  /** Closes the connection at once, dropping queued requests. */
  destroy(reason?: string): void {
    if (reason !== undefined) this.ctx.log(`closing connection ${this.remote}: ${reason}`);
    this.closed = true;
    this.queue.length = 0;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    let frames: Buffer[];
    try {
      frames = this.decoder.push(chunk);
    } catch (e) {
      this.destroy((e as Error).message);
      return;
    }
    if (frames.length === 0) return;
    this.queue.push(...frames);
    if (this.queue.length >= MAX_QUEUED_REQUESTS && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (!this.closed && this.queue.length > 0) {
        const frame = this.queue.shift()!;
        if (this.paused && this.queue.length < MAX_QUEUED_REQUESTS / 2) {
          this.paused = false;
          this.socket.resume();
        }
        await this.handle(frame);
      }
    } finally {
      this.processing = false;
    }
  }

  private async handle(frame: Buffer): Promise<void> {
    const reader = new Reader(frame);
    let prefix: ReturnType<typeof decodeRequestHeaderPrefix>;
    try {
      prefix = decodeRequestHeaderPrefix(reader);
    } catch {
      this.destroy(`request of ${frame.length} bytes is too short for a header`);
      return;
    }
    const { apiKey, apiVersion, correlationId } = prefix;

    // ApiVersions is answered from the version and correlation id alone, whatever follows.
    if (apiKey === ApiKey.ApiVersions) {
      this.ctx.log(`${this.remote} #${correlationId} ApiVersions v${apiVersion}`);
      await this.send(encodeResponseFrame(correlationId, encodeApiVersionsAnswer(apiVersion).toBuffer()));
      return;
    }
    const handler = HANDLERS.get(apiKey);
    if (handler === undefined || !isSupportedVersion(apiKey, apiVersion)) {
      this.destroy(`unsupported ${apiName(apiKey)} v${apiVersion} (correlation id ${correlationId})`);
      return;
    }
    try {
      reader.offset = 0;
      const header = decodeRequestHeader(reader);
      this.ctx.log(
        `${this.remote} #${correlationId} api ${apiKey} v${apiVersion} from ${header.clientId ?? '-'}`,
      );
      const body = await handler(this.ctx, { header, body: reader });
      if (body === null || this.closed) return;
      await this.send(encodeResponseFrame(correlationId, body.toBuffer()));
    } catch (e) {
      if (e instanceof ProtocolError) {
        this.destroy(`malformed ${apiName(apiKey)} v${apiVersion} request: ${e.message}`);
      } else {
        this.destroy(`internal error in ${apiName(apiKey)} v${apiVersion}: ${(e as Error).stack ?? e}`);
      }
    }
  }

  private send(frame: Buffer): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.socket.write(frame)) return Promise.resolve();
    // Back-pressure: wait until the client has read what we wrote.
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }
}
