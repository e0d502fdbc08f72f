import { parseArgs } from 'node:util';
import { recordsToArrowBatches, writeArrowIpc } from '@bgpstream-ts/arrow';
import {
  type BGPStream,
  buildStream,
  checkDashArguments,
  STREAM_VALUE_OPTIONS,
  streamOptionSpec,
  streamOptionsHelp,
  UsageError,
} from '@bgpstream-ts/core';
import {
  formatKafkaExportSummary,
  KAFKA_EXPORT_HELP,
  KAFKA_EXPORT_OPTIONS,
  KAFKA_EXPORT_VALUE_OPTIONS,
  KafkaUsageError,
  kafkaExport,
} from '@bgpstream-ts/kafka';
import { exportToParquetLake, isDumpExported, type ParquetCompression } from '@bgpstream-ts/parquet';
import { counted, type ExportCounters, ExportProgress } from '../export/progress.js';

const USAGE = `usage: bgpstream export --to parquet|arrow|kafka [--out <dir|file>] [stream options] [export options]
Streams BGP data, configured exactly as for bgpreader, into a Parquet lake, an Arrow IPC file or
Kafka topics.

Export:
   --to <parquet|arrow|kafka>     the sink
   --out <path>                   parquet: the lake folder; arrow: the file ('-' for stdout)
   --batch-size <rows>            rows per Arrow record batch (default 65536)
   --row-group-size <rows>        parquet: rows per part file / row group (default 131072)
   --compression <codec>          parquet: zstd (default), snappy, gzip, lz4, none
   --arrow-format <stream|file>   arrow: IPC stream (default) or random-access file
   --force                        parquet: export dumps the lake already has again (replacing them);
                                  without it they are passed over unopened. (singlefile gives its
                                  files the current time as dump time, as BGPStream does: use
                                  csvfile, archive or broker to build a lake you re-run.)
   --quiet                        no progress display (it only shows on a terminal anyway)

${KAFKA_EXPORT_HELP}

${streamOptionsHelp()}

Example:
   bgpstream export --to parquet --out lake -d csvfile -o csv-file=examples/data/demo/demo.csv -w 0
`;

/** Export options that take a value (long names only), checked like bgpreader's for a forgotten value. */
const EXPORT_VALUE_OPTIONS = ['to', 'out', 'batch-size', 'row-group-size', 'compression', 'arrow-format'];

function positiveInt(text: unknown, name: string): number | undefined {
  if (text === undefined) return undefined;
  if (typeof text !== 'string' || !/^[1-9]\d*$/.test(text))
    throw new UsageError(`--${name} '${text}' is not a positive whole number`);
  return Number(text);
}

const COMPRESSIONS = ['zstd', 'snappy', 'gzip', 'lz4', 'none'];

/** `bgpstream export`: a stream (bgpreader's options) into a Parquet lake or an Arrow IPC file. */
export async function exportCommand(argv: string[]): Promise<number> {
  let values: Record<string, unknown>;
  let stream: BGPStream | 'listed';
  let alreadyInLake = 0;
  try {
    checkDashArguments(argv, STREAM_VALUE_OPTIONS, [...EXPORT_VALUE_OPTIONS, ...KAFKA_EXPORT_VALUE_OPTIONS]);
    const parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        ...streamOptionSpec(),
        ...KAFKA_EXPORT_OPTIONS,
        to: { type: 'string' },
        out: { type: 'string' },
        'batch-size': { type: 'string' },
        'row-group-size': { type: 'string' },
        compression: { type: 'string' },
        'arrow-format': { type: 'string' },
        force: { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    values = parsed.values;
    if (values.help) {
      process.stderr.write(USAGE);
      return 0;
    }
    if (values.to !== 'parquet' && values.to !== 'arrow' && values.to !== 'kafka') {
      throw new UsageError(
        values.to === undefined
          ? '--to is required'
          : `--to '${values.to}': expected parquet, arrow or kafka`,
      );
    }
    if (typeof values.out !== 'string' && values.to !== 'kafka') throw new UsageError('--out is required');
    const parquetCodec = values.to !== 'kafka' && values.compression !== undefined;
    if (parquetCodec && !COMPRESSIONS.includes(values.compression as string)) {
      throw new UsageError(
        `--compression '${values.compression}': expected one of ${COMPRESSIONS.join(', ')}`,
      );
    }
    if (
      values['arrow-format'] !== undefined &&
      values['arrow-format'] !== 'stream' &&
      values['arrow-format'] !== 'file'
    ) {
      throw new UsageError(`--arrow-format '${values['arrow-format']}': expected stream or file`);
    }
    positiveInt(values['batch-size'], 'batch-size');
    positiveInt(values['row-group-size'], 'row-group-size');
    stream = buildStream(values);
    if (stream === 'listed') return 0;
    if (values.to === 'parquet' && values.force !== true) {
      // Dumps the lake already holds are passed over before they are opened: a re-run costs a look-up per dump.
      const lake = values.out as string;
      stream.addResourceFilter(async (r) => {
        const done = await isDumpExported(lake, { ...r, dumpTime: r.initialTime });
        if (done) alreadyInLake++;
        return !done;
      });
    }
    // The Kafka sink starts the stream itself, after passing over dumps its checkpoint has finished.
    if (values.to !== 'kafka') stream.start();
  } catch (err) {
    const usage =
      err instanceof UsageError || String((err as { code?: string }).code).startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`bgpstream export: ${(err as Error).message}\n${usage ? USAGE : ''}`);
    return 1;
  }

  if (values.to === 'kafka') return exportKafka(stream, values);
  const counters: ExportCounters = { elems: 0, records: 0, files: 0, bytes: 0 };
  const progress = new ExportProgress(values.quiet === true);
  const batches = counted(stream.batches(), counters, () => progress.update(counters));
  try {
    if (values.to === 'parquet') {
      const summary = await exportToParquetLake(batches, {
        lake: values.out as string,
        batchSize: positiveInt(values['batch-size'], 'batch-size'),
        rowGroupSize: positiveInt(values['row-group-size'], 'row-group-size'),
        compression: values.compression as ParquetCompression | undefined,
        force: values.force === true,
        onProgress: (p) => {
          counters.files = p.totals.files;
          counters.bytes = p.totals.bytes;
        },
      });
      progress.stop();
      const failed = summary.dumpsFailed.map(
        (f) => `\n  failed: ${f.dump.collector} ${f.dump.type} ${f.dump.dumpTime}: ${f.error}`,
      );
      process.stdout.write(
        `exported ${summary.rows} elems of ${counters.records} records into ${summary.files} Parquet files ` +
          `(${summary.bytes} bytes) in ${progress.seconds.toFixed(1)} s: ${summary.dumps.length} dumps written, ` +
          `${summary.dumpsSkipped.length + alreadyInLake} already in the lake, ${summary.dumpsFailed.length} failed${failed.join('')}\n` +
          `lake: ${summary.lake}\n`,
      );
      return summary.dumpsFailed.length > 0 ? 2 : 0;
    }
    const target = values.out === '-' ? process.stdout : (values.out as string);
    const arrowBatches = recordsToArrowBatches(batches, {
      batchSize: positiveInt(values['batch-size'], 'batch-size'),
    });
    const summary = await writeArrowIpc(arrowBatches, target, {
      format: (values['arrow-format'] as 'stream' | 'file' | undefined) ?? 'stream',
    });
    progress.stop();
    process.stderr.write(
      `exported ${summary.rows} elems of ${counters.records} records as ${summary.batches} Arrow batches ` +
        `(${summary.bytes} bytes) in ${progress.seconds.toFixed(1)} s to ${values.out}\n`,
    );
    return 0;
  } catch (err) {
    progress.stop();
    process.stderr.write(`bgpstream export: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await stream.close();
  }
}

/** `--to kafka`: the Kafka connector delivers (idempotent, checkpointed); this shows progress and the summary. */
async function exportKafka(stream: BGPStream, values: Record<string, unknown>): Promise<number> {
  const counters: ExportCounters = { elems: 0, records: 0, files: 0, bytes: 0 };
  const progress = new ExportProgress(values.quiet === true);
  const stop = new AbortController();
  // Ctrl-C: deliver what was read, write the checkpoint, then stop.
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const summary = await kafkaExport(stream, values, {
      signal: stop.signal,
      onProgress: (p) => {
        counters.records = p.records;
        counters.elems = p.elems;
        counters.bytes = p.bytes;
        progress.update(counters);
      },
    });
    progress.stop();
    process.stdout.write(`${formatKafkaExportSummary(summary)}\n`);
    return 0;
  } catch (err) {
    progress.stop();
    process.stderr.write(
      `bgpstream export: ${(err as Error).message}\n${err instanceof KafkaUsageError ? USAGE : ''}`,
    );
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stream.close();
  }
}
