import { execFile, execFileSync } from 'node:child_process';

export const KCAT = process.env.KCAT ?? '/usr/bin/kcat';

export function kcatAvailable(): boolean {
  try {
    execFileSync(KCAT, ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs kcat; resolves with stdout as a Buffer. */
export function runKcat(args: string[], timeoutMs = 30_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      KCAT,
      args,
      { encoding: 'buffer', timeout: timeoutMs, maxBuffer: 256 << 20 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`kcat ${args.join(' ')}: ${err.message}\n${stderr.toString()}`));
        else resolve(stdout);
      },
    );
  });
}
