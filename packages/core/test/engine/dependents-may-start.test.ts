import { describe, expect, it } from 'vitest';
import type { StepRef } from '../../src/engine/events.js';
import { type ExecutableStep, executeSteps, type StepCalls } from '../../src/engine/execute.js';
import type { OperationContext } from '../../src/engine/resource-type.js';
import { createOwner } from '../../src/index.js';

const settings = {
  provider: 'test',
  owner: createOwner('demo'),
  requestSalt: 'salt',
  concurrency: 4,
  signal: new AbortController().signal,
  stepTimeoutMs: undefined,
  settleMs: 1_000,
  retry: { retries: 0 },
  emit: () => {},
};

const ref = (id: string, action: StepRef['action'] = 'create'): StepRef => ({
  id,
  type: 'test.thing',
  name: id,
  action,
});

/** A gate a test opens by hand. */
function gate(): { readonly opened: Promise<void>; open(): void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe('a create that says its object exists', () => {
  it('lets its dependents start while it still reads the object back', async () => {
    const readBack = gate();
    const order: string[] = [];
    const steps: ExecutableStep[] = [
      {
        ref: ref('parent'),
        dependsOn: [],
        run: (calls: StepCalls) =>
          calls.call('create', async (ctx) => {
            order.push('parent created');
            ctx.dependentsMayStart?.();
            ctx.dependentsMayStart?.();
            await readBack.opened;
            order.push('parent read back');
          }),
      },
      {
        ref: ref('child'),
        dependsOn: ['parent'],
        run: (calls) =>
          calls.call('create', async () => {
            order.push('child started');
            readBack.open();
          }),
      },
    ];
    const report = await executeSteps(steps, settings);
    expect(order).toEqual(['parent created', 'child started', 'parent read back']);
    expect(report.finished.map((s) => s.id)).toEqual(['parent', 'child']);
  });

  it('still fails when the read-back fails; what started meanwhile finishes', async () => {
    const steps: ExecutableStep[] = [
      {
        ref: ref('parent'),
        dependsOn: [],
        run: (calls) =>
          calls.call('create', async (ctx) => {
            ctx.dependentsMayStart?.();
            await new Promise((resolve) => setTimeout(resolve, 20));
            throw new Error('read-back failed');
          }),
      },
      {
        ref: ref('child'),
        dependsOn: ['parent'],
        run: (calls) => calls.call('create', async () => {}),
      },
      {
        ref: ref('grandchild'),
        dependsOn: ['child'],
        run: (calls) => calls.call('create', async () => {}),
      },
    ];
    const report = await executeSteps(steps, settings);
    expect(report.failed.map((f) => f.step.id)).toEqual(['parent']);
    expect(report.finished.map((s) => s.id)).toEqual(['child', 'grandchild']);
  });

  it('is offered to create steps only: an update or a replace waits for the whole step', async () => {
    const offered: Record<string, boolean> = {};
    const probe = (id: string) => (calls: StepCalls) =>
      calls.call('update', async (ctx: OperationContext) => {
        offered[id] = ctx.dependentsMayStart !== undefined;
      });
    const steps: ExecutableStep[] = [
      { ref: ref('updated', 'update'), dependsOn: [], run: probe('updated') },
      { ref: ref('replaced', 'replace'), dependsOn: [], run: probe('replaced') },
      {
        ref: ref('created'),
        dependsOn: [],
        run: (calls) =>
          calls.call('create', async (ctx) => {
            offered.created = ctx.dependentsMayStart !== undefined;
          }),
      },
    ];
    await executeSteps(steps, settings);
    expect(offered).toEqual({ updated: false, replaced: false, created: true });
  });
});
