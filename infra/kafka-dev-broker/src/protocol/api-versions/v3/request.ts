import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/**
 * ApiVersions Request (Version: 3, flexible, request header v2) =>
 *   client_software_name COMPACT_STRING, client_software_version COMPACT_STRING, TAG_BUFFER
 *
 * librdkafka always sends this first. The broker does not advertise v3: it answers with the v0 layout and
 * error 35 (spec §4.1 option A), and librdkafka retries with v0. The decoder exists for tests and logging.
 */
export interface ApiVersionsRequestV3 {
  clientSoftwareName: string;
  clientSoftwareVersion: string;
}

export function decodeApiVersionsRequestV3(r: Reader): ApiVersionsRequestV3 {
  const clientSoftwareName = r.compactString();
  const clientSoftwareVersion = r.compactString();
  r.tagBuffer();
  return { clientSoftwareName, clientSoftwareVersion };
}

export function encodeApiVersionsRequestV3(w: Writer, req: ApiVersionsRequestV3): Writer {
  return w.compactString(req.clientSoftwareName).compactString(req.clientSoftwareVersion).emptyTagBuffer();
}
