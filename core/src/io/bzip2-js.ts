import unbzip2Stream from 'unbzip2-stream';

/**
 * Pure-JS fallback for machines without lbzip2/bzip2. unbzip2-stream decodes synchronously inside
 * write() and end(), block by block, and continues with the next stream after an end-of-stream
 * marker, so concatenated .bz2 files decode whole. It keeps about one compressed block of input.
 */
export async function* bunzip2Js(input: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const decoder = unbzip2Stream();
  let output: Uint8Array[] = [];
  let failure: Error | undefined;
  decoder.on('data', (chunk: Uint8Array) => {
    output.push(chunk);
  });
  decoder.on('error', (err: unknown) => {
    failure ??= toBzip2Error(err);
  });
  const take = (): Uint8Array[] => {
    const taken = output;
    output = [];
    return taken;
  };

  try {
    for await (const chunk of input) {
      decoder.write(chunk);
      yield* take();
      if (failure) throw failure;
    }
    decoder.end();
    yield* take();
    if (failure) throw failure;
  } finally {
    decoder.destroy();
  }
}

// The library's messages are jokes ("meow i'm a kitty") and running out of input surfaces as a
// TypeError from its bit reader; say what happened instead.
function toBzip2Error(err: unknown): Error {
  const detail = err instanceof Error ? err.message : String(err);
  if (err instanceof TypeError)
    return new Error('bzip2 data ends unexpectedly (truncated file?)', { cause: err });
  if (detail === 'input stream ended prematurely') {
    return new Error('bzip2 data ends unexpectedly (truncated file?)', { cause: err });
  }
  return new Error(`corrupt bzip2 data (${detail})`, { cause: err });
}
