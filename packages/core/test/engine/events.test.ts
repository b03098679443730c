import { describe, expect, it } from 'vitest';
import { apply, plan } from '../../src/engine/index.js';
import { clusterGraph, clusterProvider, owner } from './fixtures.js';

describe('event listeners', () => {
  it('survive an async listener that rejects: the apply finishes and releases the lock', async () => {
    const provider = clusterProvider();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const result = await apply(await plan(clusterGraph(), provider, { owner }), {
        onEvent: async () => {
          throw new Error('progress display broke');
        },
      });
      // Unhandled rejections are reported after the microtask queue drains.
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(result.totals.done).toBe(13);
      expect(unhandled).toEqual([]);
      expect(provider.cloud.lockOf(owner.cluster)).toBeUndefined();
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
