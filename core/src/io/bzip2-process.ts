import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';

const STDERR_LIMIT = 4096;

/**
 * Decodes through `<command> -dc` with the compressed bytes on stdin, so the same path serves files
 * and HTTP bodies. Pipes give back-pressure both ways: the child blocks on a full stdout until the
 * consumer reads, and stdin is only written after 'drain'. Stopping early (return() or `stop`) kills
 * the child.
 */
export async function* bunzip2Process(
  command: string,
  input: AsyncIterable<Uint8Array>,
  stop?: AbortSignal,
): AsyncGenerator<Uint8Array> {
  const child = spawn(command, ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const name = command.slice(command.lastIndexOf('/') + 1);

  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    if (stderr.length < STDERR_LIMIT) stderr += text;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>(
    (resolve) => {
      child.once('close', (code, signal) => resolve({ code, signal }));
      child.once('error', (error) => resolve({ code: null, signal: null, error }));
    },
  );
  // EPIPE when the child quits early on bad data: its exit status and stderr say why.
  child.stdin.on('error', () => {});

  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  stop?.addEventListener('abort', kill, { once: true });

  let inputError: unknown;
  void pump(input, child.stdin).catch((err: unknown) => {
    inputError = err;
    kill();
  });

  try {
    for await (const chunk of child.stdout) yield chunk as Uint8Array;
    const { code, signal, error } = await exited;
    // Not awaiting the pump: after a failed child it may still wait on a slow network read. A failed
    // input has already set inputError before killing the child, so the check below sees it.
    if (inputError !== undefined) throw inputError;
    if (error) throw new Error(`cannot run ${command}: ${error.message}`, { cause: error });
    if (code !== 0) {
      // The first line carries the diagnosis; bzip2 follows it with advice and a stale errno.
      const why = (stderr.trim().split('\n')[0] ?? '').replace(/[;\s]+$/, '') || 'no message';
      throw new Error(`${name} -dc ${signal ? `killed by ${signal}` : `exited with status ${code}`}: ${why}`);
    }
  } finally {
    stop?.removeEventListener('abort', kill);
    kill();
    child.stdin.destroy();
    child.stdout.destroy();
    child.stderr.destroy();
  }
}

async function pump(input: AsyncIterable<Uint8Array>, stdin: Writable): Promise<void> {
  for await (const chunk of input) {
    if (stdin.destroyed) break;
    if (!stdin.write(chunk)) await drained(stdin);
  }
  if (!stdin.destroyed) stdin.end();
}

function drained(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
  });
}
