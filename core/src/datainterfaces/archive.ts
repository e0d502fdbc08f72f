import { type Dirent, statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { RecordType } from '../model/record.js';
import { checkOptionName, type DataInterface, type DataInterfaceType } from './data-interface.js';
import type { Resource, ResourceQuery } from './resource.js';

export type ArchiveLayout = 'routeviews' | 'ris';
const LAYOUTS = ['auto', 'routeviews', 'ris'] as const;

/** Nominal seconds a dump covers: RouteViews updates 15 min, RIS updates 5 min, RIBs 120 s (as the broker and the reference's test data give them). */
export const ARCHIVE_DURATIONS: Readonly<Record<ArchiveLayout, Readonly<Record<RecordType, number>>>> = {
  routeviews: { rib: 120, update: 900 },
  ris: { rib: 120, update: 300 },
};

/**
 * Slack before the interval start, as in the reference's sqlite interface (`time_span + 120`): a
 * dump is wanted when `[initialTime, initialTime + duration]` overlaps `[begin - 120, end]`. For a
 * RIB (duration 120) that means its time lies within `[begin - 240, end]`.
 */
export const ARCHIVE_SLACK = 120;

export const archiveType: DataInterfaceType = {
  name: 'archive',
  description: 'Find MRT dumps in a local mirror of the RouteViews or RIS archive (by path and file name)',
  options: [
    { name: 'path', description: 'root folder of the archive mirror' },
    { name: 'layout', description: 'folder layout: auto, routeviews or ris', defaultValue: 'auto' },
    {
      name: 'project',
      description: 'project name to give every dump (default: routeviews or ris by layout)',
    },
  ],
  create: () => new ArchiveDataInterface(),
};

const MONTH_DIR = /^(\d{4})\.(\d{2})$/;
const RV_FILE = /^(rib|updates)\.(\d{4})(\d{2})(\d{2})\.(\d{2})(\d{2})\.bz2$/;
const RIS_FILE = /^(bview|updates)\.(\d{4})(\d{2})(\d{2})\.(\d{2})(\d{2})\.gz$/;
const RIS_COLLECTOR = /^rrc\d+$/;

interface CollectorDir {
  collector: string;
  layout: ArchiveLayout;
  /** The folder holding the `YYYY.MM` folders. */
  monthsDir: string;
}

/**
 * `archive` (no reference equivalent): dumps in a local mirror of the public archives, found by
 * folder and file name alone (no file is opened).
 *
 * - RouteViews: `<root>/<collector>/bgpdata/YYYY.MM/{RIBS,UPDATES}/{rib,updates}.YYYYMMDD.HHMM.bz2`;
 *   `<root>/bgpdata/...` is collector `route-views2`, as on archive.routeviews.org.
 * - RIS: `<root>/<rrcNN>/YYYY.MM/{bview,updates}.YYYYMMDD.HHMM.gz`. With `layout=auto` only
 *   folders named `rrc<digits>` are taken as RIS collectors; `layout=ris` takes every folder.
 *
 * Project, collector and type filters are applied to folder names before reading below them; only
 * the month folders that can hold a wanted dump are listed. Each call returns the dumps not returned
 * before (by path), sorted by time, RIBs first at equal times.
 */
export class ArchiveDataInterface implements DataInterface {
  readonly name = 'archive';
  /** Every folder listed, in order (for tests and diagnostics); cleared by nobody. */
  readonly dirsRead: string[] = [];
  private root = '';
  private layout: (typeof LAYOUTS)[number] = 'auto';
  private project: string | null = null;
  private readonly returned = new Set<string>();

  setOption(name: string, value: string): void {
    checkOptionName(archiveType, name);
    switch (name) {
      case 'path':
        if (value === '') throw new Error("archive option 'path' needs a folder");
        this.root = value;
        break;
      case 'layout':
        if (!(LAYOUTS as readonly string[]).includes(value)) {
          throw new Error(`archive option 'layout': '${value}' is not one of ${LAYOUTS.join(', ')}`);
        }
        this.layout = value as (typeof LAYOUTS)[number];
        break;
      case 'project':
        if (value === '') throw new Error("archive option 'project' needs a name");
        this.project = value;
        break;
    }
  }

  validate(): void {
    if (this.root === '') throw new Error("archive: the 'path' option must be set");
    let isDir = false;
    try {
      isDir = statSync(this.root).isDirectory();
    } catch (err) {
      throw new Error(`archive option 'path': cannot use '${this.root}' (${(err as Error).message})`);
    }
    if (!isDir) throw new Error(`archive option 'path': '${this.root}' is not a folder`);
  }

  async nextResources(query: ResourceQuery): Promise<Resource[]> {
    const out: Resource[] = [];
    for (const dir of await this.collectorDirs(query)) {
      const project = this.project ?? dir.layout;
      if (query.projects.size > 0 && !query.projects.has(project)) continue;
      for (const month of await this.months(dir, query)) {
        if (dir.layout === 'routeviews') {
          for (const [type, sub] of [
            ['rib', 'RIBS'],
            ['update', 'UPDATES'],
          ] as const) {
            if (query.recordTypes.size > 0 && !query.recordTypes.has(type)) continue;
            await this.collectFiles(path.join(month, sub), dir, project, query, out);
          }
        } else {
          await this.collectFiles(month, dir, project, query, out);
        }
      }
    }
    out.sort(
      (a, b) =>
        a.initialTime - b.initialTime ||
        (a.type === b.type ? 0 : a.type === 'rib' ? -1 : 1) ||
        compare(a.project, b.project) ||
        compare(a.collector, b.collector) ||
        compare(a.url, b.url),
    );
    for (const r of out) this.returned.add(r.url);
    return out;
  }

  /** The collectors under the root that pass the collector filter, with their layout. */
  private async collectorDirs(query: ResourceQuery): Promise<CollectorDir[]> {
    const out: CollectorDir[] = [];
    const entries = (await this.list(this.root)).sort((a, b) => compare(a.name, b.name));
    for (const entry of entries) {
      if (!(await isDirEntry(this.root, entry))) continue;
      const full = path.join(this.root, entry.name);
      if (entry.name === 'bgpdata') {
        if (this.layout !== 'ris')
          out.push({ collector: 'route-views2', layout: 'routeviews', monthsDir: full });
        continue;
      }
      if (query.collectors.size > 0 && !query.collectors.has(entry.name)) continue;
      if (this.layout !== 'ris' && (await isDir(path.join(full, 'bgpdata')))) {
        out.push({ collector: entry.name, layout: 'routeviews', monthsDir: path.join(full, 'bgpdata') });
      } else if (this.layout === 'ris' || (this.layout === 'auto' && RIS_COLLECTOR.test(entry.name))) {
        out.push({ collector: entry.name, layout: 'ris', monthsDir: full });
      }
    }
    return out.filter((d) => query.collectors.size === 0 || query.collectors.has(d.collector));
  }

  /** The month folders of a collector that can hold a wanted dump. */
  private async months(dir: CollectorDir, query: ResourceQuery): Promise<string[]> {
    const iv = query.interval;
    const longest = Math.max(...Object.values(ARCHIVE_DURATIONS[dir.layout]));
    const out: string[] = [];
    for (const entry of await this.list(dir.monthsDir)) {
      const m = MONTH_DIR.exec(entry.name);
      if (!m) continue;
      const year = Number(m[1]);
      const month = Number(m[2]);
      if (month < 1 || month > 12) continue;
      const start = Date.UTC(year, month - 1, 1) / 1000;
      const next = Date.UTC(year, month, 1) / 1000;
      // The last dump of the month starts before `next` and may reach `longest` seconds past it.
      if (iv && (next - 1 + longest < iv.begin - ARCHIVE_SLACK || (iv.end !== 0 && start > iv.end))) continue;
      if (!(await isDirEntry(dir.monthsDir, entry))) continue;
      out.push(path.join(dir.monthsDir, entry.name));
    }
    return out.sort();
  }

  private async collectFiles(
    folder: string,
    dir: CollectorDir,
    project: string,
    query: ResourceQuery,
    out: Resource[],
  ): Promise<void> {
    const pattern = dir.layout === 'routeviews' ? RV_FILE : RIS_FILE;
    const iv = query.interval;
    for (const entry of await this.list(folder)) {
      const m = pattern.exec(entry.name);
      if (!m) continue;
      const type: RecordType = m[1] === 'updates' ? 'update' : 'rib';
      if (query.recordTypes.size > 0 && !query.recordTypes.has(type)) continue;
      const initialTime = fileTime(m);
      if (initialTime === null) continue;
      const duration = ARCHIVE_DURATIONS[dir.layout][type];
      if (
        iv &&
        (initialTime + duration < iv.begin - ARCHIVE_SLACK || (iv.end !== 0 && initialTime > iv.end))
      ) {
        continue;
      }
      const url = path.join(folder, entry.name);
      if (this.returned.has(url)) continue;
      if (entry.isDirectory()) continue;
      out.push({ url, format: 'mrt', project, collector: dir.collector, type, initialTime, duration });
    }
  }

  /** Lists a folder; a folder that is missing (or vanished) lists as empty. */
  private async list(folder: string): Promise<Dirent[]> {
    this.dirsRead.push(folder);
    try {
      return await readdir(folder, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return [];
      throw new Error(`archive: cannot list '${folder}' (${(err as Error).message})`, { cause: err });
    }
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Unix seconds of `YYYYMMDD.HHMM` in a matched file name; null for an impossible date. */
function fileTime(m: RegExpExecArray): number | null {
  const [y, mo, d, h, mi] = [m[2], m[3], m[4], m[5], m[6]].map(Number);
  const ms = Date.UTC(y, mo - 1, d, h, mi);
  const date = new Date(ms);
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59) return null;
  return ms / 1000;
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** A folder entry that is a directory, following symbolic links. */
async function isDirEntry(parent: string, entry: Dirent): Promise<boolean> {
  if (entry.isDirectory()) return true;
  return entry.isSymbolicLink() && isDir(path.join(parent, entry.name));
}
