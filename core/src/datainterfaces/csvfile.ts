import { openByteStream } from '../io/index.js';
import type { RecordType } from '../model/record.js';
import { checkOptionName, type DataInterface, type DataInterfaceType } from './data-interface.js';
import type { Resource, ResourceQuery } from './resource.js';

/** BGPStream's slack before the interval start: a dump that began up to this long before can still hold wanted records. */
const START_SLACK = 900 + 120;

export const csvfileType: DataInterfaceType = {
  name: 'csvfile',
  description: 'Retrieve metadata information from a csv file',
  options: [{ name: 'csv-file', description: 'csv file listing the mrt data to read' }],
  create: () => new Csvfile(),
};

/**
 * `csvfile`: rows `path,project,type,collector,file_time,duration,timestamp`.
 * Each poll re-reads the file and takes the rows added (by `timestamp`)
 * since the previous poll that pass the project, collector, type and time
 * filters. Unlike the reference, a poll that finds no new rows keeps the
 * newest timestamp seen (the reference resets it to 0 and re-adds every row
 * on the next live poll), and `begin - 1020` cannot wrap around below 0.
 * Relative paths are used as given (relative to the working directory), as
 * in the reference.
 */
class Csvfile implements DataInterface {
  readonly name = 'csvfile';
  private file = '';
  private lastTimestamp = 0;

  setOption(name: string, value: string): void {
    checkOptionName(csvfileType, name);
    this.file = value;
  }

  validate(): void {
    if (this.file === '') throw new Error("csvfile: the 'csv-file' option must be set");
  }

  async nextResources(query: ResourceQuery): Promise<Resource[]> {
    const text = await readText(this.file);
    const now = Math.floor(Date.now() / 1000);
    let newest = this.lastTimestamp;
    const out: Resource[] = [];
    for (const [lineNo, row] of parseCsv(text, this.file)) {
      if (row.length !== 7)
        throw new Error(`${this.file}:${lineNo}: expected 7 columns, found ${row.length}`);
      const [url, project, typeName, collector, fileTime, duration, timestamp] = row;
      if (typeName !== 'ribs' && typeName !== 'updates') {
        throw new Error(`${this.file}:${lineNo}: type '${typeName}' is not ribs or updates`);
      }
      const type: RecordType = typeName === 'ribs' ? 'rib' : 'update';
      const initialTime = toInt(fileTime, this.file, lineNo);
      const added = toInt(timestamp, this.file, lineNo);
      if (added <= this.lastTimestamp || added > now - 1) continue;
      if (query.projects.size > 0 && !query.projects.has(project)) continue;
      if (query.collectors.size > 0 && !query.collectors.has(collector)) continue;
      if (query.recordTypes.size > 0 && !query.recordTypes.has(type)) continue;
      const iv = query.interval;
      if (iv && (initialTime < iv.begin - START_SLACK || (iv.end !== 0 && initialTime > iv.end))) continue;
      newest = Math.max(newest, added);
      out.push({
        url,
        format: 'mrt',
        project,
        collector,
        type,
        initialTime,
        duration: toInt(duration, this.file, lineNo),
      });
    }
    this.lastTimestamp = newest;
    return out;
  }
}

function toInt(text: string, file: string, lineNo: number): number {
  if (!/^\d+$/.test(text)) throw new Error(`${file}:${lineNo}: '${text}' is not a whole number`);
  return Number(text);
}

async function readText(location: string): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const chunk of openByteStream(location)) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}

/**
 * RFC 4180 rows with their line numbers; empty lines are skipped. As libcsv in the strict mode the
 * reference uses, an unterminated quoted field and anything but a delimiter or a line end after a
 * closing quote are errors (named `<name>:<line>`); a quote inside an unquoted field is literal.
 */
export function* parseCsv(text: string, name = 'csv'): Generator<[number, string[]]> {
  let lineNo = 1;
  let i = 0;
  while (i < text.length) {
    const startLine = lineNo;
    const row: string[] = [];
    let field = '';
    let atRowEnd = false;
    while (i < text.length && !atRowEnd) {
      const c = text[i];
      if (c === '"' && field === '') {
        i++;
        let closed = false;
        while (i < text.length) {
          if (text[i] === '"') {
            i++;
            if (text[i] !== '"') {
              closed = true;
              break;
            }
          } else if (text[i] === '\n') {
            lineNo++;
          }
          field += text[i++];
        }
        if (!closed) throw new Error(`${name}:${startLine}: unterminated quoted field`);
        const after = text[i];
        if (after !== undefined && after !== ',' && after !== '\n' && after !== '\r') {
          throw new Error(`${name}:${lineNo}: '${after}' after the closing quote of a field`);
        }
      } else if (c === ',') {
        row.push(field);
        field = '';
        i++;
      } else if (c === '\n' || c === '\r') {
        if (c === '\r' && text[i + 1] === '\n') i++;
        i++;
        lineNo++;
        atRowEnd = true;
      } else {
        field += c;
        i++;
      }
    }
    row.push(field);
    if (!(row.length === 1 && row[0] === '')) yield [startLine, row];
  }
}
