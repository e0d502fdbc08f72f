import { fileURLToPath } from 'node:url';
import { openFile } from './file.js';
import { openHttp } from './http.js';

/** The bytes of a location as stored, before any decompression. */
export interface RawSource {
  readonly chunks: AsyncIterator<Uint8Array>;
  /** Releases the descriptor or socket at once, even while a read is pending. Idempotent. */
  close(): void;
}

export interface RawSourceOptions {
  signal?: AbortSignal;
  highWaterMark?: number;
}

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

export function openRawSource(location: string, options: RawSourceOptions): Promise<RawSource> {
  const scheme = SCHEME.exec(location)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') return openHttp(location, options.signal);
  if (scheme === 'file') return openFile(fileURLToPath(location), options.highWaterMark);
  // A one-letter "scheme" is a Windows drive letter, so the location is a path.
  if (scheme !== undefined && scheme.length > 1 && location.slice(scheme.length).startsWith('://')) {
    return Promise.reject(
      new Error(`unsupported URL scheme "${scheme}:" (use a path, file:, http: or https:)`),
    );
  }
  return openFile(location, options.highWaterMark);
}
