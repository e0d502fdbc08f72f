import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type BoundParam,
  formatParamType,
  nullParam,
  type ParamType,
  parseParamType,
  parseParamValue,
} from './job-parameters.js';
import { QueryError } from './query-error.js';

/** One declared parameter of a job (`-- @param name type[?] [= default] description`). */
export interface JobParameter {
  name: string;
  type: ParamType;
  /** Must be given (no `?`, no default). */
  required: boolean;
  /** The default as written (checked when the catalog loads); undefined: none (NULL when optional). */
  defaultText?: string;
  description: string;
}

/** A vega-lite fragment (mark, encoding, transform, ...) that draws the job's result. */
export type ChartSpec = Record<string, unknown>;

/** A named, documented, parameterised analysis: one `jobs/sql/<name>.sql` file. */
export interface JobDefinition {
  name: string;
  summary: string;
  description: string;
  params: JobParameter[];
  /** `@conflicts a b c`: `a` cannot be given together with any of `b`, `c`. */
  conflicts: string[][];
  /** What the result's columns mean. */
  output: string;
  /** Command-line arguments after `--job <name>`. */
  examples: string[];
  /** The choice parameter whose value picks the SQL (`-- @when report=lengths` sections), if any. */
  variantParam?: string;
  /** SQL by variant value ('' when the job has no variants). */
  sql: Map<string, string>;
  /** Charts by variant value ('' for every variant). */
  charts: Map<string, ChartSpec>;
  /** Where the job came from. */
  file: string;
}

/** The folder of the built-in catalog: `jobs/sql` (the same from `src/query` and `dist/query`). */
export const BUILTIN_CATALOG_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../sql');

const NAME_RE = /^[a-z][a-z0-9-]*$/;
const PARAM_RE = /^[a-z_][a-z0-9_]*$/;

interface Directive {
  key: string;
  text: string;
  line: number;
}

/** Splits a job file into its header directives and body. */
function readHeader(source: string, file: string): { directives: Directive[]; bodyStart: number } {
  const lines = source.split('\n');
  const directives: Directive[] = [];
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (line.trim() === '') continue;
    if (!line.startsWith('--')) break;
    const content = line.slice(2);
    const d = /^ ?@([a-z]+)\b ?(.*)$/.exec(content);
    if (d) {
      directives.push({ key: d[1], text: d[2].trim(), line: i + 1 });
    } else if (/^ {2,}\S/.test(content) && directives.length > 0) {
      const last = directives[directives.length - 1];
      last.text = last.text === '' ? content.trim() : `${last.text}\n${content.trim()}`;
    } else if (content.trim() !== '') {
      throw new Error(`${file}:${i + 1}: header lines are '-- @key text' or indented continuations`);
    }
  }
  return { directives, bodyStart: lines.slice(0, i).join('\n').length };
}

function parseParam(text: string, where: string): JobParameter {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\s+(\S+?)(\?)?(?:\s*=\s*(\S+))?(?:\s+([\s\S]*))?$/.exec(text);
  if (!m) throw new Error(`${where}: write '@param name type[?] [= default] description'`);
  const [, name, typeText, optional, defaultText, description] = m;
  if (!PARAM_RE.test(name)) throw new Error(`${where}: parameter name '${name}' must match ${PARAM_RE}`);
  const type = parseParamType(typeText);
  if (optional && defaultText !== undefined)
    throw new Error(`${where}: '${name}' has both '?' and a default`);
  if (defaultText !== undefined) parseParamValue(name, type, defaultText); // a bad default fails at load
  return {
    name,
    type,
    required: !optional && defaultText === undefined,
    defaultText,
    description: (description ?? '').replace(/\s*\n\s*/g, ' ').trim(),
  };
}

/** Parses one job file. Throws (plain Error, naming the file and line) when it is malformed. */
export function parseJobFile(source: string, file: string): JobDefinition {
  const { directives, bodyStart } = readHeader(source, file);
  const one = (key: string): string | undefined => {
    const found = directives.filter((d) => d.key === key);
    if (found.length > 1) throw new Error(`${file}:${found[1].line}: @${key} given twice`);
    return found[0]?.text;
  };
  const known = new Set([
    'job',
    'summary',
    'description',
    'param',
    'conflicts',
    'output',
    'example',
    'chart',
  ]);
  for (const d of directives) {
    if (!known.has(d.key))
      throw new Error(`${file}:${d.line}: unknown header key @${d.key} (${[...known].join(', ')})`);
  }
  const name = one('job');
  if (!name || !NAME_RE.test(name)) throw new Error(`${file}: needs '-- @job <name>' (${NAME_RE})`);
  if (path.basename(file, '.sql') !== name) throw new Error(`${file}: @job ${name} must be the file's name`);
  const params = directives
    .filter((d) => d.key === 'param')
    .map((d) => parseParam(d.text, `${file}:${d.line}`));
  const names = new Set<string>();
  for (const p of params) {
    if (names.has(p.name)) throw new Error(`${file}: parameter '${p.name}' declared twice`);
    names.add(p.name);
  }
  const conflicts = directives
    .filter((d) => d.key === 'conflicts')
    .map((d) => {
      const group = d.text.split(/\s+/);
      for (const n of group)
        if (!names.has(n)) throw new Error(`${file}:${d.line}: @conflicts names unknown parameter '${n}'`);
      if (group.length < 2) throw new Error(`${file}:${d.line}: @conflicts needs two or more parameters`);
      return group;
    });

  // Body: one statement, or `-- @when <param>=<value>` sections after a common part.
  const body = source.slice(bodyStart);
  const marker = /^--\s*@when\s+([a-z_][a-z0-9_]*)=(\S+)\s*$/gm;
  const sql = new Map<string, string>();
  let variantParam: string | undefined;
  const marks = [...body.matchAll(marker)];
  if (marks.length === 0) {
    sql.set('', body.trim());
  } else {
    const common = body.slice(0, marks[0].index);
    variantParam = marks[0][1];
    const param = params.find((p) => p.name === variantParam);
    if (param?.type.kind !== 'choice' || param.required) {
      throw new Error(
        `${file}: @when ${variantParam}=... needs '${variantParam}' declared as choice(...) with a default`,
      );
    }
    marks.forEach((m, k) => {
      if (m[1] !== variantParam) throw new Error(`${file}: every @when must name '${variantParam}'`);
      if (!param.type.choices?.includes(m[2]))
        throw new Error(`${file}: @when ${m[1]}=${m[2]}: not one of its choices`);
      if (sql.has(m[2])) throw new Error(`${file}: @when ${m[1]}=${m[2]} given twice`);
      const end = k + 1 < marks.length ? marks[k + 1].index : body.length;
      sql.set(m[2], `${common}${body.slice((m.index ?? 0) + m[0].length, end)}`.trim());
    });
    for (const c of param.type.choices ?? [])
      if (!sql.has(c)) throw new Error(`${file}: no '@when ${variantParam}=${c}' section`);
  }

  const charts = new Map<string, ChartSpec>();
  for (const d of directives.filter((x) => x.key === 'chart')) {
    const m = /^(?:([a-z_][a-z0-9_]*)=(\S+)\s+)?(\{[\s\S]*\})$/.exec(d.text);
    if (!m) throw new Error(`${file}:${d.line}: write '@chart [param=value] {vega-lite JSON}'`);
    if (m[1] !== undefined && (m[1] !== variantParam || !sql.has(m[2]))) {
      throw new Error(`${file}:${d.line}: @chart ${m[1]}=${m[2]} names no @when section`);
    }
    let spec: unknown;
    try {
      spec = JSON.parse(m[3]);
    } catch (err) {
      throw new Error(`${file}:${d.line}: @chart is not JSON: ${(err as Error).message}`);
    }
    charts.set(m[2] ?? '', spec as ChartSpec);
  }

  return {
    name,
    summary: one('summary') ?? '',
    description: one('description') ?? '',
    params,
    conflicts,
    output: one('output') ?? '',
    examples: directives.filter((d) => d.key === 'example').map((d) => d.text),
    variantParam,
    sql,
    charts,
    file,
  };
}

/** A job with its parameters checked and typed: what to run and how to bind it. */
export interface JobRun {
  job: JobDefinition;
  /** The SQL of the chosen variant. */
  sql: string;
  variant: string;
  /** Every declared parameter: given, default, or NULL. */
  params: Record<string, BoundParam>;
  /** The chart for this variant, if the job has one. */
  chart?: ChartSpec;
}

/** The catalog of jobs: every `*.sql` file of the built-in folder and of extra folders (later ones override). */
export class JobCatalog {
  private readonly jobs = new Map<string, JobDefinition>();

  constructor(jobs: Iterable<JobDefinition> = []) {
    for (const j of jobs) this.jobs.set(j.name, j);
  }

  /** Loads `dirs` (default: the built-in `jobs/sql`). A malformed file throws, naming it. */
  static load(dirs: readonly string[] = [BUILTIN_CATALOG_DIR]): JobCatalog {
    const catalog = new JobCatalog();
    for (const dir of dirs) {
      let names: string[];
      try {
        names = readdirSync(dir).filter(
          (n) => n.endsWith('.sql') && !n.startsWith('_') && !n.startsWith('.'),
        );
      } catch (err) {
        throw new QueryError(`cannot read the job catalog ${dir}: ${(err as Error).message}`);
      }
      for (const n of names.sort()) {
        const file = path.join(dir, n);
        catalog.jobs.set(path.basename(n, '.sql'), parseJobFile(readFileSync(file, 'utf8'), file));
      }
    }
    return catalog;
  }

  get names(): string[] {
    return [...this.jobs.keys()].sort();
  }

  list(): JobDefinition[] {
    return this.names.map((n) => this.jobs.get(n)!);
  }

  get(name: string): JobDefinition {
    const job = this.jobs.get(name);
    if (!job) throw new QueryError(`unknown job '${name}'; the jobs are: ${this.names.join(', ')}`);
    return job;
  }

  /**
   * Checks `given` (name → value text, as `--param name=value` gives them) against the job's
   * declarations and returns what to bind. Unknown or missing parameters, values of the wrong type
   * and conflicting parameters throw a QueryError that lists what the job accepts.
   */
  prepare(name: string, given: Readonly<Record<string, string>> = {}): JobRun {
    const job = this.get(name);
    const declared = new Map(job.params.map((p) => [p.name, p]));
    for (const k of Object.keys(given)) {
      if (!declared.has(k)) {
        throw new QueryError(
          `job '${name}' has no parameter '${k}'; its parameters are: ${describeJobParams(job)}`,
        );
      }
    }
    const missing = job.params.filter((p) => p.required && given[p.name] === undefined);
    if (missing.length > 0) {
      throw new QueryError(
        `job '${name}' needs ${missing.map((p) => `--param ${p.name}=<${formatParamType(p.type)}>`).join(' ')}; its parameters are: ${describeJobParams(job)}`,
      );
    }
    for (const [first, ...others] of job.conflicts) {
      const clash = others.filter((o) => given[o] !== undefined);
      if (given[first] !== undefined && clash.length > 0) {
        throw new QueryError(
          `job '${name}': parameter '${first}' cannot be combined with ${clash.map((c) => `'${c}'`).join(', ')}`,
        );
      }
    }
    const params: Record<string, BoundParam> = {};
    for (const p of job.params) {
      const text = given[p.name] ?? p.defaultText;
      params[p.name] = text === undefined ? nullParam(p.type) : parseParamValue(p.name, p.type, text);
    }
    const variant = job.variantParam ? String(params[job.variantParam].value) : '';
    return {
      job,
      sql: job.sql.get(variant)!,
      variant,
      params,
      chart: job.charts.get(variant) ?? job.charts.get(''),
    };
  }
}

/** `name (type, default x)` for every parameter of a job. */
export function describeJobParams(job: JobDefinition): string {
  if (job.params.length === 0) return '(none)';
  return job.params
    .map((p) => {
      const d = p.required
        ? 'required'
        : p.defaultText !== undefined
          ? `default ${p.defaultText}`
          : 'optional';
      return `${p.name} (${formatParamType(p.type)}, ${d})`;
    })
    .join(', ');
}

/** A job's usage text: summary, parameters with types and defaults, examples. */
export function describeJob(job: JobDefinition, indent = ''): string {
  const lines = [`${indent}${job.name}: ${job.summary}`];
  for (const p of job.params) {
    const d = p.required ? 'required' : p.defaultText !== undefined ? `default ${p.defaultText}` : 'optional';
    lines.push(`${indent}    --param ${p.name}=<${formatParamType(p.type)}>  ${d}. ${p.description}`);
  }
  for (const c of job.conflicts)
    lines.push(`${indent}    (${c[0]} cannot be combined with ${c.slice(1).join(', ')})`);
  for (const e of job.examples) lines.push(`${indent}    e.g. --job ${job.name} ${e}`);
  return lines.join('\n');
}
