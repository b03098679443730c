import * as z from 'zod';
import { isRecord } from './is-record.js';
import { clusterDocumentSchema } from './schema/cluster.js';

let cached: Record<string, unknown> | undefined;

function documentJsonSchema(): Record<string, unknown> {
  cached ??= {
    ...z.toJSONSchema(clusterDocumentSchema, { target: 'draft-2020-12', io: 'input' }),
    $id: 'https://hakoc.dev/schemas/cluster-spec.schema.json',
    title: 'hakoc Cluster',
  };
  return cached;
}

/**
 * The JSON Schema (draft 2020-12) of the cluster document as users write it, with a description
 * on every field, for editors and for `docs/cluster-spec.schema.json`. Deterministic: the same
 * hakoc version always returns the same schema. Each call returns a fresh copy.
 */
export function clusterSpecJsonSchema(): Record<string, unknown> {
  return structuredClone(documentJsonSchema());
}

/** The part of the JSON Schema that describes the field at `path`, if the schema has one. */
export function schemaAt(path: readonly (string | number)[]): Record<string, unknown> | undefined {
  let node: unknown = documentJsonSchema();
  for (const segment of path) {
    if (!isRecord(node)) return undefined;
    node = typeof segment === 'number' ? node.items : propertyOf(node.properties, segment);
  }
  return isRecord(node) ? node : undefined;
}

function propertyOf(properties: unknown, name: string): unknown {
  return isRecord(properties) && Object.hasOwn(properties, name) ? properties[name] : undefined;
}
