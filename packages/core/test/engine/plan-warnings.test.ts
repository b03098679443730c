import { describe, expect, it } from 'vitest';
import { loadPlan, plan } from '../../src/engine/index.js';
import { clusterGraph, clusterProvider, owner } from './fixtures.js';

// A preflight may return warnings that do not stop the plan: they travel in the plan document,
// survive being saved, and are not what makes a saved plan stale.

/** The cluster provider whose preflight warns with whatever `warnings()` says at the time. */
function warningProvider(warnings: () => readonly string[]) {
  return { ...clusterProvider(), preflight: async () => ({ warnings: warnings() }) };
}

describe('plan warnings', () => {
  it('carries the preflight’s warnings, and has no warnings key when there are none', async () => {
    let warnings: readonly string[] = ['Quota CPUS holds 2 workers but not 10.'];
    const provider = warningProvider(() => warnings);
    const planned = await plan(clusterGraph(), provider, { owner });
    expect(planned.warnings).toEqual(['Quota CPUS holds 2 workers but not 10.']);
    expect(planned.summary.create).toBeGreaterThan(0);
    warnings = [];
    const quiet = await plan(clusterGraph(), provider, { owner });
    expect('warnings' in quiet).toBe(false);
    expect(JSON.parse(JSON.stringify(quiet))).not.toHaveProperty('warnings');
    // A preflight that returns nothing, as before warnings, plans as before.
    const silent = { ...clusterProvider(), preflight: async () => {} };
    expect('warnings' in (await plan(clusterGraph(), silent, { owner }))).toBe(false);
  });

  it('keeps them in a saved plan, which loads even when the warnings changed since', async () => {
    let warnings: readonly string[] = ['Quota CPUS: 12 available.'];
    const provider = warningProvider(() => warnings);
    const input = clusterGraph();
    const saved: unknown = JSON.parse(JSON.stringify(await plan(input, provider, { owner })));
    expect(saved).toMatchObject({ warnings: ['Quota CPUS: 12 available.'] });
    const loaded = await loadPlan(saved, input, provider, { owner });
    expect(loaded.warnings).toEqual(['Quota CPUS: 12 available.']);
    warnings = ['Quota CPUS: 4 available.'];
    const later = await loadPlan(saved, input, provider, { owner });
    expect(later.warnings).toEqual(['Quota CPUS: 4 available.']);
    expect(later.fingerprint).toBe(loaded.fingerprint);
  });
});
