import { badPayload } from './errors.js';
import { compileFilter } from './filter.js';
import type { JsonObject } from './json.js';

/** GCE's page size when `maxResults` is not given, and its ceiling. */
export const MAX_RESULTS = 500;

/** One page of a filtered, ordered list. */
export interface Page {
  readonly items: JsonObject[];
  readonly nextPageToken: string | undefined;
}

function sortKey(resource: JsonObject, field: string): string {
  const value = resource[field];
  return typeof value === 'string' ? value : JSON.stringify(value ?? '');
}

/**
 * Applies `filter`, `orderBy` (`name` or `creationTimestamp`, optionally `desc`), `maxResults`
 * and `pageToken` as GCE's list methods do. The page token is opaque to clients; here it is the
 * offset, encoded.
 */
export function paginate(all: readonly JsonObject[], query: URLSearchParams): Page {
  const predicate = compileFilter(query.get('filter'));
  const [orderField = 'name', direction] = (query.get('orderBy') ?? 'name').trim().split(/\s+/);
  if (orderField !== 'name' && orderField !== 'creationTimestamp') {
    throw badPayload(`Invalid value for field 'orderBy': '${orderField}'.`);
  }
  const sorted = all.filter(predicate).sort((a, b) => {
    const order = sortKey(a, orderField).localeCompare(sortKey(b, orderField));
    return direction === 'desc' ? -order : order;
  });
  const maxResults = Number(query.get('maxResults') ?? MAX_RESULTS);
  if (!Number.isInteger(maxResults) || maxResults < 0 || maxResults > MAX_RESULTS) {
    throw badPayload(
      `Invalid value for field 'maxResults': '${query.get('maxResults')}'. Must be in [0, 500].`,
    );
  }
  const size = maxResults === 0 ? MAX_RESULTS : maxResults;
  const token = query.get('pageToken');
  const offset = token ? Number(Buffer.from(token, 'base64url').toString('utf8')) : 0;
  if (!Number.isInteger(offset) || offset < 0) {
    throw badPayload(`Invalid value for field 'pageToken': '${token}'.`);
  }
  const items = sorted.slice(offset, offset + size);
  const next = offset + size;
  return {
    items,
    nextPageToken:
      next < sorted.length ? Buffer.from(String(next), 'utf8').toString('base64url') : undefined,
  };
}
