import type { ResultColumn } from './lake-connection.js';
import { type PlainRow, type PlainValue, plainToJson, plainToText } from './result-values.js';

/** Output formats of `bgpstream query`. */
export const OUTPUT_FORMATS = ['table', 'csv', 'json', 'parquet'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Where text output goes; `write` resolves when the sink can take more. */
export interface TextSink {
  write(text: string): Promise<void>;
}

// ------------------------------------------------------------------ CSV (RFC 4180)

/**
 * One CSV field (RFC 4180): quoted when it holds a quote, comma, CR or LF, quotes doubled. NULL is
 * an empty field, the empty string `""` (so the two stay apart); lists and structs are JSON text.
 */
export function csvField(value: PlainValue): string {
  if (value === null) return '';
  const text = plainToText(value);
  if (text === '' || /[",\r\n]/.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

const CRLF = '\r\n';

export function csvLine(values: readonly PlainValue[]): string {
  return values.map(csvField).join(',') + CRLF;
}

/** Writes a header line and every row as CSV (CRLF line ends, as RFC 4180 says). Returns the row count. */
export async function writeCsv(
  columns: readonly ResultColumn[],
  batches: AsyncIterable<PlainRow[]>,
  sink: TextSink,
): Promise<number> {
  await sink.write(csvLine(columns.map((c) => c.name)));
  let n = 0;
  for await (const rows of batches) {
    if (rows.length === 0) continue;
    await sink.write(rows.map(csvLine).join(''));
    n += rows.length;
  }
  return n;
}

// ------------------------------------------------------------------ JSON lines

/** One JSON object per row and line (JSON Lines / NDJSON), keys in column order. */
export function jsonLine(columns: readonly ResultColumn[], row: PlainRow): string {
  return `{${columns.map((c, i) => `${JSON.stringify(c.name)}:${plainToJson(row[i])}`).join(',')}}\n`;
}

export async function writeJsonLines(
  columns: readonly ResultColumn[],
  batches: AsyncIterable<PlainRow[]>,
  sink: TextSink,
): Promise<number> {
  let n = 0;
  for await (const rows of batches) {
    if (rows.length === 0) continue;
    await sink.write(rows.map((r) => jsonLine(columns, r)).join(''));
    n += rows.length;
  }
  return n;
}

// ------------------------------------------------------------------ aligned table

export interface TableOptions {
  /** Longest cell shown; longer ones are cut with `…`. Default 60. */
  maxCellWidth?: number;
}

const NUMERIC = /^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|DECIMAL.*)$/;

/** Display width of text (code points; good enough for the ASCII and Latin text a lake holds). */
function width(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

function cut(text: string, max: number): string {
  const flat = text.replace(/[\r\n\t]/g, ' ');
  if (width(flat) <= max) return flat;
  return `${[...flat].slice(0, Math.max(1, max - 1)).join('')}…`;
}

/**
 * An aligned text table for a terminal: a header, a rule, one line per row (numbers right-aligned,
 * NULL shown as `NULL`, long cells cut) and a `(N rows)` line.
 */
export function formatTable(
  columns: readonly ResultColumn[],
  rows: readonly PlainRow[],
  options: TableOptions = {},
): string {
  const max = options.maxCellWidth ?? 60;
  const cells = rows.map((row) => row.map((v) => cut(plainToText(v, 'NULL'), max)));
  const heads = columns.map((c) => cut(c.name, max));
  const widths = heads.map((h, i) => Math.max(width(h), ...cells.map((r) => width(r[i]))));
  const right = columns.map((c) => NUMERIC.test(c.type));
  const pad = (text: string, i: number) => {
    const fill = ' '.repeat(widths[i] - width(text));
    return right[i] ? fill + text : text + fill;
  };
  const line = (parts: string[]) => parts.map(pad).join('  ').trimEnd();
  const out = [line(heads), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of cells) out.push(line(r));
  out.push(`(${rows.length} row${rows.length === 1 ? '' : 's'})`);
  return `${out.join('\n')}\n`;
}
