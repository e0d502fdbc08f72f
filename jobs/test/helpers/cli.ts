import { Writable } from 'node:stream';
import { runQueryCommand } from '../../src/commands/query.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** Runs `bgpstream query <argv>` in-process and returns its exit code and output. */
export async function runQuery(argv: string[]): Promise<CliRun> {
  const out = collector();
  const err = collector();
  const code = await runQueryCommand(argv, { stdout: out.stream, stderr: err.stream });
  return { code, stdout: out.text(), stderr: err.text() };
}
