import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheTrimmedJsonModule } from '../../src/cached-json-module.js';
import { loadComputeClients } from '../../src/compute-clients.js';
import type { ProtoJsonNode } from '../../src/proto-json-subset.js';

const require = createRequire(import.meta.url);

describe('cacheTrimmedJsonModule', () => {
  let dir = '';
  let file = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hakoc-json-module-'));
    file = join(dir, 'protos.json');
    await writeFile(file, JSON.stringify({ keep: { a: 1 }, drop: { b: 2 } }));
  });
  afterEach(async () => {
    delete require.cache[file];
    await rm(dir, { recursive: true, force: true });
  });

  it('makes later requires of the file return the trimmed content, parsed once', () => {
    let trims = 0;
    const trimmed = cacheTrimmedJsonModule(file, (json) => {
      trims++;
      return { keep: (json as { keep: unknown }).keep };
    });
    expect(trimmed).toEqual({ keep: { a: 1 } });
    expect(require(file)).toBe(trimmed);
    expect(cacheTrimmedJsonModule(file, () => ({ other: true }))).toBe(trimmed);
    expect(trims).toBe(1);
  });

  it('leaves a file someone already required as it was', () => {
    const whole = require(file) as unknown;
    const returned = cacheTrimmedJsonModule(file, () => ({ trimmed: true }));
    expect(returned).toBe(whole);
    expect(require(file)).toEqual({ keep: { a: 1 }, drop: { b: 2 } });
  });
});

describe('the compute clients', () => {
  it('hold only the part of protos.json the provider uses', async () => {
    // Nothing in this file required protos.json before: the clients get the trimmed module.
    const clients = await loadComputeClients({ endpoint: 'http://127.0.0.1:1' });
    try {
      await expect(clients.networks.initialize()).resolves.toBeDefined();
      const held = require('@google-cloud/compute/build/protos/protos.json') as ProtoJsonNode;
      const compute = held.nested?.google?.nested?.cloud?.nested?.compute?.nested ?? {};
      expect(Object.keys(compute)).toEqual(['v1']);
      expect(compute.v1?.nested?.Networks).toBeDefined();
      expect(compute.v1?.nested?.TargetPools).toBeUndefined();
    } finally {
      await clients.close();
    }
  });
});
