import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return t;
}

/** Child processes run the built library: build it when dist/ is missing or older than src/. */
export function ensureBuilt(): void {
  const dist = path.join(packageRoot, 'dist/index.js');
  if (existsSync(dist) && statSync(dist).mtimeMs >= newestMtime(path.join(packageRoot, 'src'))) return;
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: packageRoot, stdio: 'inherit' });
}

export interface ChildRun {
  lines: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Runs fixtures/export-child.mjs. `killWhen(line)` returning true SIGKILLs the child at once (the
 * line was printed after the event happened; the child goes on until the signal lands).
 */
export function runExportChild(
  lake: string,
  dumps: unknown[],
  env: Record<string, string>,
  killWhen: (line: string, lines: string[]) => boolean = () => false,
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(packageRoot, 'test/fixtures/export-child.mjs'), lake, JSON.stringify(dumps)],
      {
        cwd: packageRoot,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const lines: string[] = [];
    let stderr = '';
    let pending = '';
    let killed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      let nl = pending.indexOf('\n');
      while (nl >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        lines.push(line);
        if (!killed && killWhen(line, lines)) {
          killed = true;
          child.kill('SIGKILL');
        }
        nl = pending.indexOf('\n');
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => {
      stderr += c;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ lines, code, signal, stderr }));
  });
}
