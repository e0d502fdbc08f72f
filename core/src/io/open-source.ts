import { bunzip2 } from './bzip2.js';
import { type Compression, detectCompression, SNIFF_BYTES } from './compression.js';
import { gunzip } from './gzip.js';
import { peekHead } from './peek.js';
import { openRawSource, type RawSource } from './raw-source.js';
import { describeError, SourceError } from './source-error.js';

export interface ByteStreamOptions {
  /** Aborting stops the stream: the iterator then rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Read size for local files, in bytes (default 64 KiB). HTTP bodies come as the network delivers. */
  highWaterMark?: number;
}

/**
 * Opens a local path, a file:// URL or an http(s):// URL and yields the decompressed bytes as chunks
 * (Uint8Array, never reused after being yielded), detecting compression by content, never by file
 * name. Nothing is opened until iteration starts; each iteration opens the location anew. Memory does
 * not grow with the file size: every stage is pulled at the consumer's pace.
 */
export function openByteStream(location: string, options: ByteStreamOptions = {}): AsyncIterable<Uint8Array> {
  return { [Symbol.asyncIterator]: () => stream(location, options) };
}

async function* stream(location: string, options: ByteStreamOptions): AsyncGenerator<Uint8Array> {
  const { signal, highWaterMark } = options;
  signal?.throwIfAborted();
  // Aborting must also reach a stage that is waiting on nobody's read (a child blocked on its
  // stdout), hence one internal signal handed to every stage.
  const stop = new AbortController();
  let source: RawSource | undefined;
  const onAbort = () => {
    stop.abort(signal?.reason);
    source?.close();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    source = await openRawSource(location, { signal: stop.signal, highWaterMark });
    signal?.throwIfAborted();
    const { head, rest } = await peekHead(source.chunks, SNIFF_BYTES);
    for await (const chunk of decode(detectCompression(head), rest, stop.signal)) {
      signal?.throwIfAborted();
      if (chunk.length > 0) yield chunk;
    }
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    if (err instanceof SourceError) throw err;
    throw new SourceError(location, describeError(err), { cause: err });
  } finally {
    signal?.removeEventListener('abort', onAbort);
    source?.close();
  }
}

function decode(
  compression: Compression,
  input: AsyncIterable<Uint8Array>,
  stop: AbortSignal,
): AsyncIterable<Uint8Array> {
  switch (compression) {
    case 'gzip':
      return gunzip(input);
    case 'bzip2':
      return bunzip2(input, stop);
    case 'none':
      return input;
  }
}
