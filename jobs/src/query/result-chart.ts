import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ChartSpec } from './job-catalog.js';
import type { ResultColumn } from './lake-connection.js';
import type { PlainRow, PlainValue } from './result-values.js';

export interface ChartOptions {
  title?: string;
  width?: number;
  height?: number;
}

function chartValue(v: PlainValue): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v) || (v !== null && typeof v === 'object'))
    return JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x)));
  return v;
}

/**
 * Draws a result as SVG: the job's vega-lite fragment (mark, encoding, transforms) with the rows as
 * inline data, compiled to vega and rendered headless (`renderer: 'none'`, pure JS, no canvas).
 * Timestamps are ISO 8601 UTC text, which vega-lite parses as temporal values.
 */
export async function renderChartSvg(
  chart: ChartSpec,
  columns: readonly ResultColumn[],
  rows: readonly PlainRow[],
  options: ChartOptions = {},
): Promise<string> {
  const values = rows.map((row) => Object.fromEntries(columns.map((c, i) => [c.name, chartValue(row[i])])));
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: options.width ?? 720,
    height: options.height ?? 320,
    ...(options.title ? { title: options.title } : {}),
    ...chart,
    data: { values },
  } as TopLevelSpec;
  const compiled = compile(spec);
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
