/** `bgpstream query`: SQL and named analyses over a Parquet lake, with DuckDB. */
import { createWriteStream, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { VARCHAR } from '@duckdb/node-api';
import { BUILTIN_CATALOG_DIR, describeJob, JobCatalog } from '../query/job-catalog.js';
import type { BoundParam } from '../query/job-parameters.js';
import { LakeConnection, type QueryParam, type ResultColumn } from '../query/lake-connection.js';
import { LAKE_MACROS } from '../query/lake-macros.js';
import { QueryError } from '../query/query-error.js';
import {
  formatTable,
  OUTPUT_FORMATS,
  type OutputFormat,
  type TextSink,
  writeCsv,
  writeJsonLines,
} from '../query/result-formats.js';
import type { PlainRow } from '../query/result-values.js';

/** Where the command writes; the process's streams by default, anything with `write` in tests. */
export interface QueryCommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const OPTIONS = {
  lake: { type: 'string' },
  sql: { type: 'string' },
  'sql-file': { type: 'string' },
  job: { type: 'string' },
  param: { type: 'string', multiple: true, short: 'p' },
  format: { type: 'string', short: 'f' },
  out: { type: 'string', short: 'o' },
  chart: { type: 'string' },
  catalog: { type: 'string', multiple: true },
  threads: { type: 'string' },
  list: { type: 'boolean' },
  'show-sql': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function usage(catalog: JobCatalog | null): string {
  const lines = [
    'usage: bgpstream query --lake DIR (--sql SQL | --sql-file FILE | --job NAME [--param NAME=VALUE ...]) [options]',
    '',
    '  --lake DIR            a Parquet lake written by exportToParquetLake / bgpstream export',
    '  --sql SQL             any SQL over the views elems, records, dumps and the macros below;',
    '                        several statements may be separated by ";" (the last one is printed).',
    '                        With --param NAME=VALUE, $NAME is bound as text (cast it: $NAME::INTEGER)',
    '  --sql-file FILE       the SQL from a file',
    '  --job NAME            a named analysis from the catalog (below)',
    '  -p, --param NAME=VALUE  a job parameter (repeat for more); checked against its type, then bound',
    `  -f, --format FORMAT   ${OUTPUT_FORMATS.join(' | ')} (default table). table: aligned text;`,
    '                        csv: RFC 4180 with a header; json: one JSON object per line;',
    '                        parquet: written by DuckDB, needs --out',
    '  -o, --out FILE        write the result to FILE instead of standard output',
    '  --chart FILE.svg      also draw the result as SVG (jobs with a chart)',
    '  --catalog DIR         more job files (*.sql with a header, see the README); repeatable',
    '  --threads N           DuckDB threads (default: one per core)',
    '  --list                list the jobs',
    '  --show-sql            print the job SQL and its bound parameters, do not run it',
    '  -h, --help            this text',
    '',
    'views: elems (one row per elem, the schema columns + type, date partitions, filename, file_row_number),',
    '       records (one row per record), dumps (the lake manifest: one row per exported dump)',
    `macros: ${LAKE_MACROS.filter((m) => !m.internal)
      .map((m) => m.signature.replace(/ ->.*$/, '').replace(/ \|.*$/, ''))
      .join(', ')}`,
  ];
  if (catalog) {
    lines.push('', 'jobs:');
    for (const job of catalog.list()) lines.push(describeJob(job, '  '));
  }
  return `${lines.join('\n')}\n`;
}

function streamSink(stream: NodeJS.WritableStream): TextSink {
  // A reader that goes away (`| head`) makes writes fail with EPIPE: remember it instead of crashing.
  let failure: Error | null = null;
  stream.on('error', (err: Error) => {
    failure = err;
  });
  return {
    write: (text) =>
      new Promise<void>((resolve, reject) => {
        if (failure) {
          reject(failure);
          return;
        }
        const ok = stream.write(text, (err) => {
          if (err) reject(err);
        });
        if (ok) resolve();
        else stream.once('drain', resolve);
      }),
  };
}

function parseParams(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new QueryError(`--param '${item}': write NAME=VALUE`);
    const name = item.slice(0, eq);
    if (Object.hasOwn(out, name)) throw new QueryError(`--param ${name} given twice`);
    out[name] = item.slice(eq + 1);
  }
  return out;
}

/**
 * Runs `bgpstream query` with `argv` (the arguments after `query`), writing to `io`. Returns the
 * exit code: 0, or 1 after printing a message for any error.
 */
export async function runQueryCommand(argv: string[], io: QueryCommandIo): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`bgpstream query: ${message}\n`);
    return 1;
  };
  let args: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; args: string[]; allowPositionals: true }>>;
  try {
    args = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    return fail(`${(err as Error).message} (bgpstream query -h lists the options)`);
  }
  const v = args.values;
  let catalog: JobCatalog;
  try {
    catalog = JobCatalog.load([BUILTIN_CATALOG_DIR, ...(v.catalog ?? [])]);
  } catch (err) {
    return fail((err as Error).message);
  }
  if (v.help) {
    io.stdout.write(usage(catalog));
    return 0;
  }
  if (v.list) {
    for (const job of catalog.list()) io.stdout.write(`${job.name.padEnd(16)} ${job.summary}\n`);
    return 0;
  }
  if (args.positionals.length > 0)
    return fail(`unexpected argument '${args.positionals[0]}' (bgpstream query -h)`);

  let connection: LakeConnection | null = null;
  try {
    const format = (v.format ?? 'table') as OutputFormat;
    if (!OUTPUT_FORMATS.includes(format)) {
      throw new QueryError(`--format '${v.format}': one of ${OUTPUT_FORMATS.join(', ')}`);
    }
    const sources = [v.sql !== undefined, v['sql-file'] !== undefined, v.job !== undefined].filter(
      Boolean,
    ).length;
    if (sources !== 1) throw new QueryError('give one of --sql, --sql-file or --job (bgpstream query -h)');
    if (format === 'parquet' && !v.out) throw new QueryError('--format parquet needs --out FILE');
    const given = parseParams(v.param ?? []);

    // What to run: a job (checked, typed parameters) or the user's SQL (parameters bound as text).
    let sql: string;
    let params: Record<string, QueryParam>;
    let chart = undefined as ReturnType<JobCatalog['prepare']>['chart'];
    let title: string;
    if (v.job !== undefined) {
      const run = catalog.prepare(v.job, given);
      sql = run.sql;
      params = run.params;
      chart = run.chart;
      const shown = Object.entries(run.params)
        .filter(([, p]) => p.text !== null)
        .map(([k, p]) => `${k}=${p.text}`);
      title = `${run.job.name}${shown.length ? ` (${shown.join(', ')})` : ''}`;
      if (v['show-sql']) {
        io.stdout.write(`${sql}\n\n-- parameters:\n`);
        for (const [k, p] of Object.entries(run.params))
          io.stdout.write(`--   $${k} = ${p.text ?? 'NULL'} (${p.type})\n`);
        return 0;
      }
    } else {
      sql = v.sql ?? readFileSync(v['sql-file']!, 'utf8');
      params = Object.fromEntries(
        Object.entries(given).map(([k, text]): [string, BoundParam] => [
          k,
          { value: text, type: VARCHAR, text },
        ]),
      );
      title = 'query';
      if (v['show-sql']) {
        io.stdout.write(`${sql}\n`);
        return 0;
      }
    }
    if (v.chart && !chart) {
      throw new QueryError(
        v.job !== undefined
          ? `job '${v.job}' has no chart for these parameters (jobs with charts: ${catalog
              .list()
              .filter((j) => j.charts.size > 0)
              .map((j) => j.name)
              .join(', ')})`
          : '--chart draws job results only (use --job)',
      );
    }
    if (!v.lake) throw new QueryError('--lake DIR is required');
    const threads = v.threads === undefined ? undefined : Number(v.threads);
    if (threads !== undefined && !(Number.isInteger(threads) && threads > 0)) {
      throw new QueryError(`--threads '${v.threads}': a positive integer`);
    }

    const started = performance.now();
    connection = await LakeConnection.open(v.lake, { threads });
    let rowCount: number;
    let rowsForChart: { columns: ResultColumn[]; rows: PlainRow[] } | null = null;
    if (format === 'parquet') {
      rowCount = await connection.copyToParquet(sql, params, v.out!);
      if (chart && v.chart) rowsForChart = await connection.query(sql, params);
    } else if (format === 'table') {
      const result = await connection.query(sql, params);
      rowCount = result.rows.length;
      rowsForChart = result;
      const text = formatTable(result.columns, result.rows);
      if (v.out) writeFileSync(v.out, text);
      else await streamSink(io.stdout).write(text);
    } else {
      let columns: ResultColumn[] = [];
      const kept: PlainRow[] = [];
      const batches = connection.stream(sql, params, (c) => {
        columns = c;
      });
      // The header needs the columns, which come with the first batch; the file is created only
      // once the query runs, and removed if it fails half way.
      const first = await batches.next();
      const file = v.out ? createWriteStream(v.out) : null;
      const sink = streamSink(file ?? io.stdout);
      const all = async function* (): AsyncGenerator<PlainRow[]> {
        if (!first.done) yield first.value;
        for await (const b of batches) yield b;
      };
      const tee = async function* (): AsyncGenerator<PlainRow[]> {
        for await (const b of all()) {
          if (chart && v.chart) kept.push(...b);
          yield b;
        }
      };
      try {
        rowCount =
          format === 'csv'
            ? await writeCsv(columns, tee(), sink)
            : await writeJsonLines(columns, tee(), sink);
      } catch (err) {
        if (file) {
          file.destroy();
          rmSync(v.out!, { force: true });
        }
        throw err;
      }
      if (file) {
        await new Promise<void>((resolve, reject) => {
          file.end((err?: Error | null) => (err ? reject(err) : resolve()));
        });
      }
      rowsForChart = { columns, rows: kept };
    }
    if (chart && v.chart && rowsForChart) {
      // vega is loaded only when a chart is asked for (it takes a good part of a second)
      const { renderChartSvg } = await import('../query/result-chart.js');
      const svg = await renderChartSvg(chart, rowsForChart.columns, rowsForChart.rows, { title });
      writeFileSync(v.chart, svg);
    }
    if (v.out || v.chart) {
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      const where = [v.out ? `${v.out} (${format})` : null, v.chart ? `${v.chart} (chart)` : null].filter(
        Boolean,
      );
      io.stderr.write(
        `bgpstream query: ${rowCount} row${rowCount === 1 ? '' : 's'} to ${where.join(' and ')} in ${seconds} s\n`,
      );
    }
    return 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EPIPE') return 0; // the reader has all it wanted
    return fail((err as Error).message);
  } finally {
    connection?.close();
  }
}

/** `bgpstream query ...`: the dispatcher's entry point. */
export async function queryCommand(argv: string[]): Promise<number> {
  return runQueryCommand(argv, { stdout: process.stdout, stderr: process.stderr });
}
