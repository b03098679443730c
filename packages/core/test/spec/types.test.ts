import type { ClusterSpec, ClusterSpecInput } from '@hakoc/core';
import { describe, expectTypeOf, it } from 'vitest';
import type * as z from 'zod';
import type { clusterDocumentSchema, clusterSpecSchema } from '../../src/spec/schema/cluster.js';

// Checked by the type checker: the documented interfaces must match what the schema does.
describe('spec types', () => {
  it('ClusterSpecInput is accepted by the schema', () => {
    expectTypeOf<ClusterSpecInput>().toExtend<z.input<typeof clusterDocumentSchema>>();
  });

  it('the schema produces a ClusterSpec', () => {
    expectTypeOf<z.output<typeof clusterSpecSchema>>().toEqualTypeOf<ClusterSpec>();
  });
});
