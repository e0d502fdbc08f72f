import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The jobs package folder (test/ingest-helpers → ../..). */
export const jobsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const repoRoot = path.resolve(jobsDir, '..');
/** The built CLI the tests run as real processes. */
export const cliPath = path.join(jobsDir, 'dist/cli/bgpstream.js');

export function requireBuiltCli(): void {
  if (!existsSync(cliPath)) {
    throw new Error(
      `${cliPath} is missing: build first (npx turbo run build --filter=@bgpstream-ts/jobs...)`,
    );
  }
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
}

const running = new Set<CliProcess>();

/** A `bgpstream` process with its output collected; killed (SIGKILL) when it outlives its timeout. */
export class CliProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<Exit>;
  private timedOut = false;

  constructor(
    readonly args: string[],
    options: { env?: Record<string, string>; timeoutMs?: number } = {},
  ) {
    this.child = spawn(process.execPath, [cliPath, ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.setEncoding('utf8').on('data', (s: string) => {
      this.stdout += s;
    });
    this.child.stderr?.setEncoding('utf8').on('data', (s: string) => {
      this.stderr += s;
    });
    const timer = setTimeout(() => {
      this.timedOut = true;
      this.child.kill('SIGKILL');
    }, options.timeoutMs ?? 60_000);
    running.add(this);
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        clearTimeout(timer);
        running.delete(this);
        resolve({ code, signal, timedOut: this.timedOut });
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** What the process printed, for failure messages. */
  describe(): string {
    return `bgpstream ${this.args.join(' ')}\n--- stdout ---\n${this.stdout}--- stderr ---\n${this.stderr}`;
  }

  /** Resolves when stdout has matched `re` `times` times; rejects (with the output) on exit or timeout. */
  async waitFor(re: RegExp, timeoutMs = 20_000, times = 1): Promise<void> {
    const global = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exited.then(() => {
      exited = true;
    });
    for (;;) {
      if ((this.stdout.match(global)?.length ?? 0) >= times) return;
      if (exited || Date.now() > deadline) {
        throw new Error(
          `${exited ? 'process exited' : 'timed out'} before printing ${re}${times > 1 ? ` ${times} times` : ''}\n${this.describe()}`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Waits for the exit; rejects (with the output) if it takes longer than `timeoutMs`. */
  async exit(timeoutMs = 30_000): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`still running after ${timeoutMs} ms\n${this.describe()}`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([this.exited, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}

export function spawnCli(
  args: string[],
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): CliProcess {
  return new CliProcess(args, options);
}

/** Runs a command to its end; throws (with its output) unless it exits with `expectCode`. */
export async function runCli(
  args: string[],
  options: { env?: Record<string, string>; timeoutMs?: number; expectCode?: number } = {},
): Promise<CliProcess> {
  const p = spawnCli(args, options);
  const exit = await p.exit(options.timeoutMs ?? 30_000);
  const want = options.expectCode ?? 0;
  if (exit.code !== want)
    throw new Error(`exit ${exit.code ?? exit.signal} (wanted ${want})\n${p.describe()}`);
  return p;
}

/** SIGKILLs every process still running (afterAll). */
export async function killLeftovers(): Promise<void> {
  const left = [...running];
  for (const p of left) p.kill('SIGKILL');
  await Promise.all(left.map((p) => p.exited));
}
