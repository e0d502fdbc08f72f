/**
 * Reads chunks until `want` bytes are known (or the input ends) and hands back those first bytes,
 * plus an iterable that replays the chunks already read before continuing with the rest.
 */
export async function peekHead(
  chunks: AsyncIterator<Uint8Array>,
  want: number,
): Promise<{ head: Uint8Array; rest: AsyncIterable<Uint8Array> }> {
  const seen: Uint8Array[] = [];
  let length = 0;
  let ended = false;
  while (length < want) {
    const r = await chunks.next();
    if (r.done) {
      ended = true;
      break;
    }
    if (r.value.length === 0) continue;
    seen.push(r.value);
    length += r.value.length;
  }

  const head = new Uint8Array(Math.min(length, want));
  let filled = 0;
  for (const chunk of seen) {
    if (filled === head.length) break;
    const part = chunk.subarray(0, head.length - filled);
    head.set(part, filled);
    filled += part.length;
  }

  async function* rest(): AsyncGenerator<Uint8Array> {
    yield* seen;
    seen.length = 0;
    if (ended) return;
    for (;;) {
      const r = await chunks.next();
      if (r.done) return;
      if (r.value.length > 0) yield r.value;
    }
  }
  return { head, rest: rest() };
}
