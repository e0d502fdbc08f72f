import type { RecordType } from '../model/record.js';
import { checkOptionName, type DataInterface, type DataInterfaceType } from './data-interface.js';
import type { Resource, ResourceFormat } from './resource.js';

const FORMATS: readonly ResourceFormat[] = ['mrt', 'bmp', 'ris-live'];

/**
 * `singlefile`: one RIB file and/or one updates file. As in BGPStream, both
 * get project and collector `singlefile`, their dump time is the time they
 * were queued, and the project/collector/type filters do not apply.
 */
export const singlefileType: DataInterfaceType = {
  name: 'singlefile',
  description: 'Read a single mrt data file (RIB and/or updates)',
  options: [
    { name: 'rib-file', description: 'rib mrt file to read' },
    { name: 'rib-type', description: 'rib file type (mrt/bmp/ris-live)', defaultValue: 'mrt' },
    { name: 'upd-file', description: 'updates mrt file to read' },
    { name: 'upd-type', description: 'updates file type (mrt/bmp/ris-live)', defaultValue: 'mrt' },
  ],
  create: () => new Singlefile(),
};

class Singlefile implements DataInterface {
  readonly name = 'singlefile';
  private readonly files: Partial<Record<RecordType, string>> = {};
  private readonly formats: Record<RecordType, ResourceFormat> = { rib: 'mrt', update: 'mrt' };
  private queued = false;

  setOption(name: string, value: string): void {
    checkOptionName(singlefileType, name);
    const type: RecordType = name.startsWith('rib') ? 'rib' : 'update';
    if (name.endsWith('-file')) {
      if (value === '') throw new Error(`singlefile option '${name}' needs a path`);
      this.files[type] = value;
    } else {
      if (!FORMATS.includes(value as ResourceFormat)) {
        throw new Error(`singlefile option '${name}': '${value}' is not one of ${FORMATS.join(', ')}`);
      }
      this.formats[type] = value as ResourceFormat;
    }
  }

  validate(): void {
    if (!this.files.rib && !this.files.update) {
      throw new Error("singlefile: at least one of the 'rib-file' and 'upd-file' options must be set");
    }
  }

  async nextResources(): Promise<Resource[]> {
    if (this.queued) return [];
    this.queued = true;
    const now = Math.floor(Date.now() / 1000);
    const out: Resource[] = [];
    for (const type of ['rib', 'update'] as const) {
      const url = this.files[type];
      if (!url) continue;
      out.push({
        url,
        format: this.formats[type],
        project: 'singlefile',
        collector: 'singlefile',
        type,
        initialTime: now,
        duration: type === 'rib' ? 1800 : 120,
      });
    }
    return out;
  }
}
