import type { Transform } from 'node:stream';

/**
 * Runs a Node Transform one input chunk at a time, pulled by the consumer, so that back-pressure is
 * the consumer's pace and memory holds at most one chunk's output.
 *
 * Node's own async iterator drops output still buffered when the stream errors; a truncated gzip
 * only errors at its final flush, so that iterator could lose the last decoded bytes. Here output
 * is taken from 'data' events as it is produced, and the error is rethrown only after it is yielded.
 */
export async function* driveTransform(
  transform: Transform,
  input: AsyncIterable<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  let output: Uint8Array[] = [];
  let failure: Error | undefined;
  transform.on('data', (chunk: Uint8Array) => {
    output.push(chunk);
  });
  transform.on('error', (err: Error) => {
    failure ??= err;
  });
  const take = (): Uint8Array[] => {
    const taken = output;
    output = [];
    return taken;
  };

  try {
    for await (const chunk of input) {
      await writeFully(transform, chunk);
      yield* take();
      if (failure) throw failure;
    }
    await endFully(transform);
    yield* take();
    if (failure) throw failure;
  } finally {
    transform.destroy();
  }
}

/** Settles once the chunk is processed and its output emitted, or once the stream dies. */
function writeFully(transform: Transform, chunk: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      transform.off('close', done);
      // Output pushed while the 'data' listener was busy is re-emitted on a later tick.
      setImmediate(resolve);
    };
    transform.once('close', done);
    transform.write(chunk, () => done());
  });
}

function endFully(transform: Transform): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      transform.off('end', done);
      transform.off('close', done);
      resolve();
    };
    transform.once('end', done);
    transform.once('close', done);
    transform.end();
  });
}
