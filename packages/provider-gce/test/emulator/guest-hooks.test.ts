import { describe, expect, it } from 'vitest';
import { GuestHooks } from '../../src/emulator/compute/guest-attributes.js';

// Metadata listeners run after the request that changed the metadata was answered, outside any
// request: one that throws (a VM gone meanwhile, a test's mistake) must not end the process the
// emulator runs in, which is the hakoc command itself under --emulator.

describe('the emulator’s metadata listeners', () => {
  it('reports a listener that throws as a process warning and still tells the others', async () => {
    const hooks = new GuestHooks();
    const told: string[] = [];
    hooks.onMetadata(() => {
      throw new Error('the instance is gone');
    });
    hooks.onMetadata(({ path }) => told.push(path));
    const warned = new Promise<Error>((resolve) => process.once('warning', resolve));
    hooks.metadataChanged({ path: 'projects/p/zones/z/instances/vm', items: {} });
    const warning = await warned;
    await new Promise((resolve) => setImmediate(resolve));
    expect(warning.message).toContain('projects/p/zones/z/instances/vm');
    expect(warning.message).toContain('the instance is gone');
    expect(told).toEqual(['projects/p/zones/z/instances/vm']);
  });
});
