// The Parquet encoder thread: Arrow IPC bytes in, Parquet bytes out (both transferred, not copied;
// the IPC buffer goes back to be used again).
// It says `ready` once parquet-wasm is loaded; a job's failure is sent back as its error.
import { parentPort } from 'node:worker_threads';
import { encodeIpcWith, type ParquetWriteSettings } from './parquet-props.js';

export interface EncodeJob {
  id: number;
  ipc: Uint8Array;
  settings: ParquetWriteSettings;
}

export type EncoderReply =
  | { ready: true }
  | { id: number; bytes: Uint8Array; ipc: Uint8Array; error?: undefined }
  | { id: number; error: string };

const port = parentPort;
if (port) {
  const pw = await import('parquet-wasm');
  port.on('message', (job: EncodeJob) => {
    let reply: EncoderReply;
    let transfer: ArrayBuffer[] = [];
    try {
      let bytes = encodeIpcWith(pw, job.ipc, job.settings);
      if (bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength) bytes = bytes.slice();
      // The IPC buffer goes back too, for the next part.
      reply = { id: job.id, bytes, ipc: job.ipc };
      transfer = [bytes.buffer as ArrayBuffer, job.ipc.buffer as ArrayBuffer];
    } catch (err) {
      reply = { id: job.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
    }
    port.postMessage(reply, transfer);
  });
  port.postMessage({ ready: true } satisfies EncoderReply);
}
