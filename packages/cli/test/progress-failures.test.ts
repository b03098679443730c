import { HakocError } from '@hakoc/core';
import { describe, expect, it } from 'vitest';
import { createProgressReporter } from '../src/progress/index.js';
import { captureIo } from './capture-io.js';
import { failureWithSecretCause } from './support/engine-events.js';
import { fakeClock } from './support/fake-clock.js';

const locked = new HakocError('HAKOC_LOCKED', 'demo is locked by ci:7', {
  hint: 'wait for it, or break the lock',
  cause: new Error('SECRET in the cause'),
});

describe('progress of runs that fail before or after their steps', () => {
  it('prints plan.failed, apply.failed and lock.release-failed with message, code and hint', () => {
    const io = captureIo();
    const reporter = createProgressReporter(io, { now: fakeClock().now });
    reporter.onEvent({
      type: 'plan.failed',
      provider: 'gce',
      cluster: 'demo',
      error: new Error('reading firewalls failed'),
      durationMs: 1500,
    });
    reporter.onEvent({
      type: 'apply.failed',
      operation: 'destroy',
      cluster: 'demo',
      error: locked,
      durationMs: 200,
    });
    reporter.onEvent({
      type: 'lock.release-failed',
      cluster: 'demo',
      holder: 'laptop:42',
      error: new Error('409 conflict'),
    });
    reporter.finish();
    const err = io.err();
    expect(err).toContain('Planning demo failed after 1.5s: reading firewalls failed');
    expect(err).toContain('Destroy of demo failed after');
    expect(err).toContain('demo is locked by ci:7 [HAKOC_LOCKED]');
    expect(err).toContain('hint: wait for it, or break the lock');
    expect(err).toContain('Could not unlock demo (held by laptop:42): 409 conflict');
    expect(err).not.toContain('SECRET');
  });

  it('with --json keeps the errors of these events to their own fields', () => {
    const io = captureIo();
    const reporter = createProgressReporter(io, { json: true });
    reporter.onEvent({
      type: 'apply.failed',
      operation: 'apply',
      cluster: 'demo',
      error: locked,
      durationMs: 200,
    });
    reporter.onEvent({
      type: 'plan.failed',
      provider: 'gce',
      cluster: 'demo',
      error: failureWithSecretCause('PRIVATE KEY'),
      durationMs: 10,
    });
    const [applyFailed, planFailed] = io
      .err()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { error: Record<string, unknown> });
    expect(applyFailed?.error).toEqual({
      name: 'HakocError',
      message: 'demo is locked by ci:7',
      code: 'HAKOC_LOCKED',
      hint: 'wait for it, or break the lock',
    });
    expect(planFailed?.error).toMatchObject({ name: 'ProviderError', reason: 'invalid' });
    expect(io.err()).not.toMatch(/SECRET|PRIVATE KEY/);
  });
});
