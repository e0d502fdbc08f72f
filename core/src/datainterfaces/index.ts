import { archiveType } from './archive.js';
import { brokerType } from './broker.js';
import { csvfileType } from './csvfile.js';
import { registerDataInterface } from './registry.js';
import { risLiveType } from './ris-live.js';
import { singlefileType } from './singlefile.js';
import { sqliteType } from './sqlite.js';

registerDataInterface(brokerType);
registerDataInterface(singlefileType);
registerDataInterface(csvfileType);
registerDataInterface(sqliteType);
registerDataInterface(archiveType);
registerDataInterface(risLiveType);

export { ArchiveDataInterface, type ArchiveLayout, archiveType } from './archive.js';
export {
  BrokerDataInterface,
  type BrokerQuery,
  brokerRequestUrl,
  brokerType,
  cachePath,
  ensureCached,
  parseBrokerResponse,
} from './broker.js';
export { csvfileType } from './csvfile.js';
export type { DataInterface, DataInterfaceOptionSpec, DataInterfaceType } from './data-interface.js';
export { getDataInterfaceType, getDataInterfaceTypes, registerDataInterface } from './registry.js';
export type { Resource, ResourceFormat, ResourceQuery } from './resource.js';
export { emptyQuery } from './resource.js';
export { RIS_LIVE_DEFAULT_URL, risLiveType } from './ris-live.js';
export { singlefileType } from './singlefile.js';
export { SqliteDataInterface, sqliteType } from './sqlite.js';
