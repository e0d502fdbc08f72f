import type { RawSource } from './raw-source.js';

export const USER_AGENT = 'bgpstream-ts';

export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    statusText: string,
  ) {
    super(`HTTP ${status}${statusText ? ` ${statusText}` : ''}`);
  }
}

export async function openHttp(url: string, signal?: AbortSignal): Promise<RawSource> {
  // One controller for the request and the body, so that close() drops the socket even mid-read.
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const close = () => {
    signal?.removeEventListener('abort', onAbort);
    if (!controller.signal.aborted) controller.abort();
  };
  try {
    const response = await fetch(url, {
      // identity: decompression is ours, by content; a transparently gunzipped body would hide nothing,
      // but it would spend CPU twice for servers that compress on the fly.
      headers: { 'user-agent': USER_AGENT, 'accept-encoding': 'identity' },
      redirect: 'follow',
      signal: controller.signal,
    });
    if (response.status >= 400) {
      throw new HttpStatusError(response.status, response.statusText);
    }
    const reader = response.body?.getReader();
    const chunks: AsyncIterator<Uint8Array> = {
      next: async () => {
        if (!reader) return { done: true, value: undefined };
        const r = await reader.read();
        return r.done ? { done: true, value: undefined } : { done: false, value: r.value };
      },
    };
    return { chunks, close };
  } catch (err) {
    close();
    throw err;
  }
}
