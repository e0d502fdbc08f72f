import { csvfileType } from './csvfile.js';
import { registerDataInterface } from './registry.js';
import { singlefileType } from './singlefile.js';

registerDataInterface(singlefileType);
registerDataInterface(csvfileType);

export type { DataInterface, DataInterfaceOptionSpec, DataInterfaceType } from './data-interface.js';
export { getDataInterfaceType, getDataInterfaceTypes, registerDataInterface } from './registry.js';
export type { Resource, ResourceFormat, ResourceQuery } from './resource.js';
export { emptyQuery } from './resource.js';
