import { once } from 'node:events';
import { open } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { elemArrowSchema } from '@bgpstream-ts/schemas';
import {
  type RecordBatch,
  RecordBatchFileWriter,
  RecordBatchStreamWriter,
  type RecordBatchWriter,
  type Schema,
} from 'apache-arrow';

export interface WriteArrowIpcOptions {
  /** `stream` (default): the IPC streaming format; `file`: the random-access file format (Feather v2). */
  format?: 'stream' | 'file';
  /** Schema when it is not the elem schema (the batches' schema must equal it). */
  schema?: Schema;
}

export interface WriteArrowIpcSummary {
  batches: number;
  rows: number;
  bytes: number;
}

/** Collects the bytes the writer produces instead of queueing them, so they go out batch by batch. */
function collecting<W extends RecordBatchWriter>(writer: W): { writer: W; take: () => Uint8Array[] } {
  let out: Uint8Array[] = [];
  const w = writer as unknown as {
    _started: boolean;
    _position: number;
    _write(chunk: ArrayBufferView): W;
  };
  // `_write` is the writer's protected output hook; everything it writes passes through it.
  w._write = (chunk: ArrayBufferView) => {
    if (w._started && chunk.byteLength > 0) {
      out.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      w._position += chunk.byteLength;
    }
    return writer;
  };
  return {
    writer,
    take: () => {
      const t = out;
      out = [];
      return t;
    },
  };
}

/**
 * Writes record batches to an Arrow IPC stream or file at `target` (a path, or a Writable that is
 * ended at the end). Batches are written as they come: memory holds one batch.
 */
export async function writeArrowIpc(
  batches: AsyncIterable<RecordBatch> | Iterable<RecordBatch>,
  target: string | Writable,
  options: WriteArrowIpcOptions = {},
): Promise<WriteArrowIpcSummary> {
  const format = options.format ?? 'stream';
  if (format !== 'stream' && format !== 'file') throw new Error(`unknown Arrow IPC format '${format}'`);
  const schema = options.schema ?? elemArrowSchema();
  const { writer, take } = collecting<RecordBatchWriter>(
    format === 'file' ? new RecordBatchFileWriter() : new RecordBatchStreamWriter(),
  );
  const summary: WriteArrowIpcSummary = { batches: 0, rows: 0, bytes: 0 };

  const file = typeof target === 'string' ? await open(target, 'w') : null;
  const emit = async () => {
    for (const chunk of take()) {
      summary.bytes += chunk.byteLength;
      if (file) {
        let off = 0;
        while (off < chunk.byteLength) {
          const { bytesWritten } = await file.write(chunk, off, chunk.byteLength - off);
          off += bytesWritten;
        }
      } else {
        const sink = target as Writable;
        if (!sink.write(chunk)) await once(sink, 'drain');
      }
    }
  };
  try {
    writer.reset(undefined, schema);
    await emit();
    for await (const batch of batches) {
      writer.write(batch);
      summary.batches++;
      summary.rows += batch.numRows;
      await emit();
    }
    writer.finish();
    await emit();
  } finally {
    if (file) await file.close();
  }
  if (typeof target !== 'string') {
    target.end();
    if (!target.writableFinished) await once(target, 'finish');
  }
  return summary;
}
