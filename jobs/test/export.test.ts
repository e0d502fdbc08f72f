import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMrt } from '@bgpstream-ts/core';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repo, 'jobs/dist/cli/bgpstream.js');
const demoCsv = path.join(repo, 'examples/data/demo/demo.csv');
const tmp = mkdtempSync(path.join(tmpdir(), 'bgpstream-export-'));

function bgpstream(args: string[]) {
  return spawnSync('node', [cli, ...args], { cwd: repo, encoding: 'utf8', timeout: 120_000 });
}

/** Elems per dump as the decoder sees them, the independent answer. */
async function decoderCounts(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const line of readFileSync(demoCsv, 'utf8').trim().split('\n')) {
    const [file, project, type, collector, time] = line.split(',');
    let n = 0;
    for await (const r of readMrt(path.join(repo, file))) n += r.elems.length;
    counts.set(`${project}/${collector}/${type === 'ribs' ? 'rib' : 'update'}/${time}`, n);
  }
  return counts;
}

describe('bgpstream export', () => {
  it('--to parquet writes a lake DuckDB reads back, one partition per dump, and a re-run passes over it', async () => {
    const lake = path.join(tmp, 'lake');
    const first = bgpstream([
      'export',
      '--to',
      'parquet',
      '--out',
      lake,
      '-d',
      'csvfile',
      '-o',
      `csv-file=${demoCsv}`,
      '-w',
      '0',
    ]);
    expect(first.stderr).not.toMatch(/error/i);
    expect(first.status).toBe(0);
    const expected = await decoderCounts();
    const total = [...expected.values()].reduce((a, b) => a + b, 0);
    expect(first.stdout).toContain(`exported ${total} elems`);
    expect(first.stdout).toContain('2 dumps written, 0 already in the lake, 0 failed');

    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const rows = (
      await db.runAndReadAll(
        `SELECT project, collector, type, epoch(dump_time)::BIGINT AS t, count(*)::BIGINT AS n FROM read_parquet('${lake}/**/*.parquet', hive_partitioning = true) GROUP BY ALL ORDER BY ALL`,
      )
    ).getRowObjects();
    const got = new Map(rows.map((r) => [`${r.project}/${r.collector}/${r.type}/${r.t}`, Number(r.n)]));
    expect(got).toEqual(expected);

    const mtime = statSync(path.join(lake, '_manifest')).mtimeMs;
    const again = bgpstream([
      'export',
      '--to',
      'parquet',
      '--out',
      lake,
      '-d',
      'csvfile',
      '-o',
      `csv-file=${demoCsv}`,
      '-w',
      '0',
    ]);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('exported 0 elems of 0 records');
    expect(again.stdout).toContain('0 dumps written, 2 already in the lake');
    expect(statSync(path.join(lake, '_manifest')).mtimeMs).toBe(mtime);
  });

  it('--to arrow writes an IPC stream that apache-arrow reads back with every elem', async () => {
    const out = path.join(tmp, 'demo.arrows');
    const res = bgpstream([
      'export',
      '--to',
      'arrow',
      '--out',
      out,
      '--batch-size',
      '1000',
      '-d',
      'csvfile',
      '-o',
      `csv-file=${demoCsv}`,
      '-w',
      '0',
      '-f',
      'ipv 6',
    ]);
    expect(res.status).toBe(0);
    const table = tableFromIPC(readFileSync(out));
    let v6 = 0;
    for await (const r of readMrt(path.join(repo, 'examples/data/demo/updates.20260101.0000.mrt.gz'))) {
      v6 += r.elems.filter((e) => e.prefix?.family === 6).length;
    }
    for await (const r of readMrt(path.join(repo, 'examples/data/demo/rib.20260101.0000.mrt.gz'))) {
      v6 += r.elems.filter((e) => e.prefix?.family === 6).length;
    }
    expect(table.numRows).toBe(v6);
    expect(table.batches.length).toBe(Math.ceil(v6 / 1000));
    expect(new Set(table.getChild('prefix_family')!.toArray())).toEqual(new Set([6]));
  });

  it('names what is wrong on a bad command line', () => {
    const noTo = bgpstream(['export', '--out', path.join(tmp, 'x')]);
    expect(noTo.status).toBe(1);
    expect(noTo.stderr).toContain('--to is required');
    const badFilter = bgpstream([
      'export',
      '--to',
      'parquet',
      '--out',
      path.join(tmp, 'y'),
      '-d',
      'csvfile',
      '-o',
      `csv-file=${demoCsv}`,
      '-f',
      'peer x',
    ]);
    expect(badFilter.status).toBe(1);
    expect(badFilter.stderr).toMatch(/'x'/);
    const dash = bgpstream(['export', '--to', 'parquet', '--out', '-c']);
    expect(dash.status).toBe(1);
    expect(dash.stderr).toContain("starts with '-'");
  });

  it('prints a summary even when not a terminal, and no progress display', () => {
    const lake = path.join(tmp, 'lake2');
    const out = execFileSync(
      'node',
      [
        cli,
        'export',
        '--to',
        'parquet',
        '--out',
        lake,
        '-d',
        'csvfile',
        '-o',
        `csv-file=${demoCsv}`,
        '-w',
        '0',
        '-t',
        'ribs',
      ],
      {
        cwd: repo,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    expect(out).toMatch(/^exported \d+ elems of \d+ records into 1 Parquet files/);
    writeFileSync(path.join(tmp, 'ok'), out);
  });
});
