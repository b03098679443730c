import { describe, expect, it } from 'vitest';
import { apply, plan } from '../../src/engine/index.js';
import { clusterGraph, clusterProvider, owner } from './fixtures.js';

const tokenOf = (json: string) => /"token":"([^"]*)"/.exec(json)?.[1];

describe('secrets in plans', () => {
  it('show as markers without a key: no hash a reader could test guesses against', async () => {
    const provider = clusterProvider();
    const first = JSON.stringify(
      await plan(clusterGraph({ token: 'abcdef.secret-one' }), provider, { owner }),
    );
    expect(first).not.toContain('secret-one');
    expect(tokenOf(first)).toBe('(secret)');
    await apply(await plan(clusterGraph({ token: 'abcdef.secret-one' }), provider, { owner }));
    const rotated = JSON.stringify(
      await plan(clusterGraph({ token: 'abcdef.secret-two' }), provider, { owner }),
    );
    expect(rotated).not.toContain('secret-two');
    expect(tokenOf(rotated)).toBe('(secret, changed)');
  });

  it('show as hashes keyed by secretKey, which is nowhere in the plan', async () => {
    const provider = clusterProvider();
    const secretKey = 'key-from-the-key-store';
    const json = async (token: string, key: string) =>
      JSON.stringify(await plan(clusterGraph({ token }), provider, { owner, secretKey: key }));
    const one = await json('abcdef.secret-one', secretKey);
    const two = await json('abcdef.secret-two', secretKey);
    expect(tokenOf(one)).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(tokenOf(one)).not.toBe(tokenOf(two));
    expect(await json('abcdef.secret-one', secretKey)).toBe(one);
    expect(tokenOf(await json('abcdef.secret-one', 'another-key'))).not.toBe(tokenOf(one));
    expect(one).not.toContain(secretKey);
    expect(one).not.toContain('secret-one');
  });

  it('keep their key through a replan', async () => {
    const provider = clusterProvider();
    const secretKey = 'k';
    const stale = await plan(clusterGraph(), provider, { owner, secretKey });
    await apply(
      await plan({ resources: clusterGraph().resources.slice(0, 1) }, provider, { owner }),
    );
    const result = await apply(stale, { onStale: 'replan' });
    expect(JSON.stringify(result.plan)).toMatch(/"token":"hmac-sha256:/);
  });
});
