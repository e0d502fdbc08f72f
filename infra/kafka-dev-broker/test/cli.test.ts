import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCliArgs, runCli, USAGE, UsageError } from '../src/cli.js';
import { RawClient } from './helpers/raw-client.js';
import { metadata } from './helpers/requests.js';

describe('kafka-dev-broker CLI', () => {
  it('parses its options, with port 9092 and 127.0.0.1 by default', () => {
    expect(parseCliArgs([])).toEqual({
      port: 9092,
      host: '127.0.0.1',
      advertisedHost: undefined,
      dataDir: undefined,
      partitions: 1,
      autoCreateTopics: true,
    });
    expect(
      parseCliArgs(['--port', '0', '--data-dir', '/tmp/x', '--partitions', '3', '--no-auto-create-topics']),
    ).toMatchObject({ port: 0, dataDir: '/tmp/x', partitions: 3, autoCreateTopics: false });
    expect(parseCliArgs(['--help'])).toBeNull();
  });

  it('rejects bad arguments with a UsageError naming the problem', () => {
    expect(() => parseCliArgs(['--port', 'abc'])).toThrow(/--port expects a whole number/);
    expect(() => parseCliArgs(['--port', '70000'])).toThrow(UsageError);
    expect(() => parseCliArgs(['--partitions', '0'])).toThrow(/--partitions out of range/);
    expect(() => parseCliArgs(['--bogus'])).toThrow(UsageError);
  });

  it('runCli starts a broker and prints the listening line', async () => {
    const out: string[] = [];
    const broker = await runCli(['--port', '0', '--partitions', '4'], {
      stdout: (l) => out.push(l),
      stderr: () => {},
    });
    expect(broker).not.toBeNull();
    try {
      expect(out).toEqual([`kafka-dev-broker listening on 127.0.0.1:${broker!.port}`]);
      const c = await RawClient.connect(broker!.port);
      expect((await metadata(c, ['cli-topic'], true)).topics[0].partitions).toHaveLength(4);
      c.close();
    } finally {
      await broker!.stop();
    }
    const help: string[] = [];
    expect(await runCli(['-h'], { stdout: (l) => help.push(l), stderr: () => {} })).toBeNull();
    expect(help).toEqual([USAGE]);
  });

  const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  it.skipIf(!existsSync(cli))(
    `the built bin (dist/cli.js) runs until SIGTERM${existsSync(cli) ? '' : ' — SKIPPED: run the build first'}`,
    async () => {
      const child = spawn(process.execPath, [cli, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      const line = await new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no listening line; stdout: ${stdout}`)), 10_000);
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          stdout += d;
          if (stdout.includes('\n')) {
            clearTimeout(t);
            resolve(stdout.split('\n')[0]);
          }
        });
      });
      const match = /^kafka-dev-broker listening on 127\.0\.0\.1:(\d+)$/.exec(line);
      expect(match, line).not.toBeNull();
      const c = await RawClient.connect(Number(match![1]));
      expect((await metadata(c, null)).brokers[0].port).toBe(Number(match![1]));
      c.close();
      const code = await new Promise<number | null>((resolve) => {
        child.on('exit', (exitCode) => resolve(exitCode));
        child.kill('SIGTERM');
      });
      expect(code).toBe(0);
    },
  );
});
