import { open } from 'node:fs/promises';
import type { RawSource } from './raw-source.js';

const DEFAULT_HIGH_WATER_MARK = 64 * 1024;

/** Opens eagerly so that a missing file fails at once, not on the first read. */
export async function openFile(path: string, highWaterMark = DEFAULT_HIGH_WATER_MARK): Promise<RawSource> {
  const handle = await open(path, 'r');
  // autoClose (the default) closes the descriptor when the stream ends or is destroyed.
  const stream = handle.createReadStream({ highWaterMark });
  return {
    chunks: stream[Symbol.asyncIterator](),
    close: () => {
      stream.destroy();
    },
  };
}
