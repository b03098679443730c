import { type EngineEvent, ProviderError, type StepAction, type StepRef } from '@hakoc/core';

/** A step of a made-up GCE apply. */
export function step(name: string, action: StepAction = 'create', type = 'gce.network'): StepRef {
  return { id: `${type}/${name}`, type, name, action };
}

/** A provider error whose cause holds a secret, as a cloud SDK error quoting its request might. */
export function failureWithSecretCause(secret: string): ProviderError {
  return new ProviderError('instance template insert failed: QUOTA_EXCEEDED', {
    provider: 'gce',
    operation: 'create',
    resource: 'gce.instanceTemplate/workers',
    reason: 'invalid',
    hint: 'raise the CPUS quota of the region',
    cause: new Error(`request body: {"metadata":{"user-data":"${secret}"}}`),
  });
}

/** The events of a short apply: two steps done (one after a retry), one failed. */
export function applyEvents(secret = 'PRIVATE KEY'): EngineEvent[] {
  const network = step('demo');
  const firewall = step('demo-internal', 'update', 'gce.firewall');
  const template = step('workers', 'replace', 'gce.instanceTemplate');
  return [
    { type: 'plan.started', provider: 'gce', cluster: 'demo' },
    {
      type: 'plan.finished',
      summary: { create: 1, update: 1, replace: 1, delete: 0, noop: 4, changes: 3 },
      fingerprint: 'sha256:abc',
      durationMs: 1234,
    },
    { type: 'lock.acquired', cluster: 'demo', holder: 'laptop:42' },
    { type: 'apply.started', operation: 'apply', cluster: 'demo', changes: 3 },
    { type: 'resource.start', step: network },
    { type: 'resource.start', step: firewall },
    { type: 'resource.progress', step: network, message: 'operation RUNNING' },
    {
      type: 'resource.retry',
      step: firewall,
      operation: 'update',
      attempt: 1,
      delayMs: 1500,
      message: 'rate limit exceeded',
      reason: 'rate-limited',
    },
    { type: 'resource.done', step: network, durationMs: 4200 },
    { type: 'resource.done', step: firewall, durationMs: 6100 },
    { type: 'resource.start', step: template },
    {
      type: 'resource.failed',
      step: template,
      error: failureWithSecretCause(secret),
      durationMs: 800,
    },
    {
      type: 'apply.finished',
      operation: 'apply',
      totals: { done: 2, failed: 1, notStarted: 0, unknown: 0, unchanged: 4 },
      aborted: false,
      durationMs: 7000,
    },
    { type: 'lock.released', cluster: 'demo', holder: 'laptop:42' },
  ];
}
