export { exportCommand } from './commands/export.js';
export { ingestCommand } from './commands/ingest.js';
export { queryCommand } from './commands/query.js';
export * from './ingest/index.js';
export * from './query/index.js';
