import { isHakocError } from '@hakoc/certs';
import { describe, expect, it } from 'vitest';
import {
  checkVersionStep,
  plan,
  VERSION_DOWNGRADE_CODE,
  VERSION_SKIP_CODE,
} from '../../src/engine/index.js';
import { createMockProvider, type MockInput } from '../../src/testing/index.js';
import { owner } from './fixtures.js';

const field = 'spec.kubernetes.version';
const step = (running: readonly string[], desired: string) => () =>
  checkVersionStep({ product: 'Kubernetes', running, desired, field });

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return isHakocError(error) ? error.code : 'not a HakocError';
  }
}

describe('checkVersionStep', () => {
  it('lets a cluster stay, take a patch or go up one minor', () => {
    expect(codeOf(step(['1.35.9'], '1.35.9'))).toBeUndefined();
    expect(codeOf(step(['1.35.2'], '1.35.9'))).toBeUndefined();
    expect(codeOf(step(['1.35.9'], '1.36.4'))).toBeUndefined();
    expect(codeOf(step([], '1.37.1'))).toBeUndefined();
  });

  it('refuses a skipped minor with a hint that names the next one', () => {
    expect(codeOf(step(['1.35.9'], '1.37.1'))).toBe(VERSION_SKIP_CODE);
    try {
      step(['1.35.9'], '1.37.1')();
    } catch (error) {
      expect(isHakocError(error) && error.hint).toContain('1.36');
      expect(isHakocError(error) && error.hint).toContain(field);
    }
  });

  it('refuses an older minor, but not an older patch of the same minor', () => {
    expect(codeOf(step(['1.36.4'], '1.35.9'))).toBe(VERSION_DOWNGRADE_CODE);
    expect(codeOf(step(['1.36.4'], '1.36.1'))).toBeUndefined();
  });

  it('judges a half-finished roll by its oldest machines', () => {
    expect(codeOf(step(['1.36.4', '1.35.9'], '1.37.1'))).toBe(VERSION_SKIP_CODE);
    expect(codeOf(step(['1.36.4', '1.35.9'], '1.36.4'))).toBeUndefined();
  });
});

describe('a provider that checks changes', () => {
  it('stops plan before any step is made, with what the provider listed', async () => {
    const mock = createMockProvider({ types: [{ type: 'mock.group' }] });
    const seen: number[] = [];
    const provider = {
      ...mock,
      checkChange: (input: MockInput, actual: readonly { readonly type: string }[]) => {
        seen.push(actual.filter((a) => a.type === 'mock.group').length);
        const desired = String(input.resources[0]?.spec.version ?? '');
        checkVersionStep({ product: 'Kubernetes', running: ['1.35.9'], desired, field });
      },
    };
    const input = (version: string): MockInput => ({
      resources: [{ type: 'mock.group', name: 'controllers', spec: { version } }],
    });
    const ok = await plan(input('1.36.4'), provider, { owner });
    expect(ok.summary.create).toBe(1);
    await expect(plan(input('1.37.1'), provider, { owner })).rejects.toMatchObject({
      code: VERSION_SKIP_CODE,
    });
    expect(seen).toEqual([0, 0]);
  });
});
