import { clusterSpecJsonSchema, DEFAULT_KUBERNETES_VERSION } from '@hakoc/core';
import { describe, expect, it } from 'vitest';

type Schema = { [key: string]: unknown };

/** Every `properties` entry in the schema, with its dotted path. */
function properties(schema: Schema, path = ''): [string, Schema][] {
  const own = Object.entries((schema.properties ?? {}) as Record<string, Schema>);
  return own.flatMap(([name, child]) => [
    [`${path}${name}`, child] as [string, Schema],
    ...properties(child, `${path}${name}.`),
    ...(child.items === undefined ? [] : properties(child.items as Schema, `${path}${name}[].`)),
  ]);
}

describe('clusterSpecJsonSchema', () => {
  it('is a draft 2020-12 schema of the document', () => {
    const schema = clusterSpecJsonSchema();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(schema.additionalProperties).toBe(false);
  });

  it('describes every field', () => {
    const undocumented = properties(clusterSpecJsonSchema())
      .filter(([, child]) => typeof child.description !== 'string')
      .map(([path]) => path);
    expect(undocumented).toEqual([]);
  });

  it('records defaults for editors', () => {
    const fields = new Map(properties(clusterSpecJsonSchema()));
    expect(fields.get('spec.kubernetes.version')?.default).toBe(DEFAULT_KUBERNETES_VERSION);
    expect(fields.get('spec.workers.cpuTarget')?.default).toBe(0.6);
    expect(fields.get('spec.etcd.count')?.default).toBe(3);
    expect(fields.get('spec.provider.vagrant.hypervisor')?.default).toBe('virtualbox');
    expect(fields.get('spec.keyStore.passphrase')?.default).toEqual({ env: 'HAKOC_PASSPHRASE' });
  });

  it('says which fields exclude each other', () => {
    const fields = new Map(properties(clusterSpecJsonSchema()));
    expect(fields.get('spec.provider')?.oneOf).toEqual([
      { required: ['gce'] },
      { required: ['vagrant'] },
    ]);
    expect(fields.get('spec.workers')?.oneOf).toEqual([
      { required: ['count'] },
      { required: ['min', 'max'] },
    ]);
  });

  it('is deterministic and not shared between callers', () => {
    const first = clusterSpecJsonSchema();
    first.title = 'changed';
    expect(JSON.stringify(clusterSpecJsonSchema())).toBe(JSON.stringify(clusterSpecJsonSchema()));
    expect(clusterSpecJsonSchema().title).toBe('hakoc Cluster');
  });
});
