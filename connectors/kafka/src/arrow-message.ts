import { Writable } from 'node:stream';
import { ElemBatchBuilder, writeArrowIpc } from '@bgpstream-ts/arrow';

type Batch = ReturnType<ElemBatchBuilder['finish']>;

/**
 * One Arrow IPC stream (schema, the batch's dictionaries, the record batch, end-of-stream) as the
 * bytes of one Kafka message: each message can be read alone (`tableFromIPC(message.value)`,
 * `pyarrow.ipc.open_stream`).
 */
export async function arrowMessageBytes(batch: Batch): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  await writeArrowIpc([batch], sink, { format: 'stream' });
  return Buffer.concat(chunks);
}

/**
 * A new builder for each batch. Reusing one after `reset()` would be cheaper, but a reset builder
 * keeps old bytes under null slots, so the same rows would not give the same message bytes; a
 * resumed export must re-send byte-identical copies (README: "Duplicates").
 */
export class BuilderPool {
  constructor(private readonly initialCapacity: number) {}

  take(): ElemBatchBuilder {
    return new ElemBatchBuilder({ initialCapacity: this.initialCapacity, stableDictionaries: false });
  }

  give(_builder: ElemBatchBuilder): void {}
}
