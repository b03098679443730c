import type { ProviderOperation } from '@hakoc/core';
import type { ErrorSite } from '../gce-errors.js';

/** The error site of a call on `type/name`. */
export function siteOf(operation: ProviderOperation, type: string, name?: string): ErrorSite {
  return { operation, resource: name === undefined ? type : `${type}/${name}` };
}

/** A full URL or path reduced to its last segment; `''` for none. */
export function nameOfRef(ref: string | null | undefined): string {
  return ref?.split('/').pop() ?? '';
}

/** `projects/P/regions/R/<collection>/<name>`, how GCE takes references in request bodies. */
export function regionalRef(project: string, region: string, collection: string, name: string) {
  return `projects/${project}/regions/${region}/${collection}/${name}`;
}

/** `projects/P/global/<collection>/<name>`. */
export function globalRef(project: string, collection: string, name: string) {
  return `projects/${project}/global/${collection}/${name}`;
}
