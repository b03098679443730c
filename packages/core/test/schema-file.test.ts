import { readFileSync } from 'node:fs';
import { clusterSpecJsonSchema } from '@hakoc/core';
import { describe, expect, it } from 'vitest';

describe('docs/cluster-spec.schema.json', () => {
  it('matches the spec schema (run `npm run schema` after changing the spec)', () => {
    const file = new URL('../../../docs/cluster-spec.schema.json', import.meta.url);
    const committed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    expect(committed).toEqual(clusterSpecJsonSchema());
  });
});
