import { HakocError } from '@hakoc/certs';
import { describe, expect, it } from 'vitest';
import {
  ApplyError,
  changedFields,
  createOwner,
  isApplyError,
  isGraphError,
  isLockedError,
  isOwnedBy,
  isProviderError,
  isStalePlanError,
  ProviderError,
  resourceId,
} from '../../src/engine/index.js';

describe('errors', () => {
  it('are recognised by marker and code, also from another copy of the package', () => {
    // What an error from a second copy of @hakoc/core looks like: a HakocError, another class.
    const foreign = new HakocError('HAKOC_PROVIDER_ERROR', 'from elsewhere');
    expect(isProviderError(foreign)).toBe(true);
    expect(isApplyError(new HakocError('HAKOC_APPLY_ABORTED', 'x'))).toBe(true);
    expect(isProviderError(new Error('plain'))).toBe(false);
    expect(isProviderError({ code: 'HAKOC_PROVIDER_ERROR' })).toBe(false);
    expect(isLockedError(new HakocError('HAKOC_PROVIDER_ERROR', 'x'))).toBe(false);
    expect(isGraphError(new HakocError('HAKOC_GRAPH_INVALID', 'x'))).toBe(true);
    expect(isStalePlanError(new HakocError('HAKOC_PLAN_STALE', 'x'))).toBe(true);
  });

  it('mark transient provider failures retryable by default, and only those', () => {
    const make = (reason: ConstructorParameters<typeof ProviderError>[1]['reason']) =>
      new ProviderError('x', { provider: 'p', operation: 'create', ...(reason ? { reason } : {}) });
    expect(
      ['rate-limited', 'unavailable', 'not-ready', 'in-use'].map(
        (r) => make(r as 'in-use').retryable,
      ),
    ).toEqual([true, true, true, true]);
    expect(
      ['not-found', 'conflict', 'invalid', 'permission', 'timeout'].map(
        (r) => make(r as 'invalid').retryable,
      ),
    ).toEqual([false, false, false, false, false]);
    expect(make(undefined)).toMatchObject({
      reason: 'unknown',
      retryable: false,
      code: 'HAKOC_PROVIDER_ERROR',
    });
    expect(
      new ProviderError('x', {
        provider: 'p',
        operation: 'list',
        reason: 'invalid',
        retryable: true,
      }).retryable,
    ).toBe(true);
  });

  it('ApplyError says what finished, failed and never started', () => {
    const step = { id: 'mock.a/x', type: 'mock.a', name: 'x', action: 'create' as const };
    const error = new ProviderError('quota exceeded', {
      provider: 'p',
      operation: 'create',
      reason: 'invalid',
    });
    const failure = new ApplyError({
      operation: 'apply',
      aborted: false,
      finished: [step],
      failed: [{ step: { ...step, id: 'mock.a/y', name: 'y' }, error }],
      notStarted: [],
      unknown: [],
    });
    expect(failure.message).toBe(
      'apply failed: 1 finished, 1 failed, 0 not started, 0 unknown (mock.a/y: quota exceeded).',
    );
    expect(failure.cause).toBe(error);
    expect(failure.hint).toMatch(/Run apply again/);
  });
});

describe('owner and helpers', () => {
  it('labels ownership and checks it', () => {
    const owner = createOwner('prod-eu');
    expect(owner.labels).toEqual({ 'hakoc-cluster': 'prod-eu', 'hakoc-managed': 'true' });
    expect(isOwnedBy({ ...owner.labels, extra: '1' }, owner)).toBe(true);
    expect(isOwnedBy({ 'hakoc-cluster': 'prod-eu' }, owner)).toBe(false);
    expect(isOwnedBy(undefined, owner)).toBe(false);
    expect(() => createOwner('Prod_EU')).toThrow(
      expect.objectContaining({ code: 'HAKOC_OWNER_INVALID' }),
    );
  });

  it('names resources and finds changed fields', () => {
    expect(resourceId({ type: 'gce.network', name: 'net' })).toBe('gce.network/net');
    expect(
      changedFields({ a: 1, b: { x: [1, 2] }, c: 3 }, { b: { x: [1, 2] }, a: 2, d: 4 }),
    ).toEqual(['a', 'c', 'd']);
  });
});
