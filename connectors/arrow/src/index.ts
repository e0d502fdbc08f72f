// The public surface of @bgpstream-ts/arrow.

export { BatchMemory } from './column-buffers.js';
export { ElemBatchBuilder, type ElemBatchBuilderOptions } from './elem-batch-builder.js';
export { type RecordSource, type RecordsToArrowOptions, recordsToArrowBatches } from './records-to-arrow.js';
export { type WriteArrowIpcOptions, type WriteArrowIpcSummary, writeArrowIpc } from './write-ipc.js';
