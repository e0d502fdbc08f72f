export type { Compression } from './compression.js';
export { detectCompression } from './compression.js';
export { openByteStream } from './open-source.js';
export { SourceError } from './source-error.js';
