/**
 * `@hakoc/core/testing/contract`: the provider contract suite, for vitest (a peer dependency
 * only this entry point needs).
 *
 * @packageDocumentation
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  apply,
  breakLock,
  destroy,
  type EngineEvent,
  type ExecutionOptions,
  isApplyError,
  isLockedError,
  isProviderError,
  type Owner,
  type Provider,
  plan,
  readLock,
} from '../engine/index.js';

/** One fresh, empty cloud and the inputs the contract suite applies to it. */
export interface ContractFixture<Input> {
  /** The provider under test, over a cloud where `owner` owns nothing yet. */
  readonly provider: Provider<Input>;
  /** The cluster the suite works on. */
  readonly owner: Owner;
  /** A small desired graph with at least one dependency. */
  readonly initial: Input;
  /** `initial` with fields changed that the provider changes in place. */
  readonly inPlaceChange: Input;
  /** Step ids (`type/name`) that `inPlaceChange` updates. */
  readonly expectedUpdates: readonly string[];
  /** `initial` with fields changed that force a replacement. */
  readonly replacingChange: Input;
  /** Step ids (`type/name`) that `replacingChange` replaces. */
  readonly expectedReplaces: readonly string[];
  /** `initial` with at least one resource removed. */
  readonly reduced: Input;
  /**
   * Creates an object in the same cloud that the owner does not own (another cluster's, or one
   * made by hand). Resolves to a check that it still exists, unchanged.
   */
  createUnowned(): Promise<() => Promise<boolean>>;
  /** Makes the next `count` create, update or delete calls fail, retryably or not. */
  failNext(count: number, retryable: boolean): void;
  /** Execution options for the suite: fast retries above all. */
  readonly options?: Pick<ExecutionOptions, 'retry' | 'concurrency' | 'timeouts'>;
  /** Frees the cloud. */
  close?(): Promise<void>;
}

/** How the contract suite gets a fixture for each test. */
export interface ProviderContractHarness<Input> {
  /** Shown in the suite's name. */
  readonly name: string;
  /** A fresh fixture; called before each test. */
  setup(): Promise<ContractFixture<Input>> | ContractFixture<Input>;
}

/**
 * The vitest suite every provider must pass: create from empty, re-plan shows no changes, a
 * changed field updates or replaces as declared, delete, destroy leaves nothing owned and
 * touches nothing unowned, retryable errors are retried, non-retryable ones surface, the
 * cluster lock keeps a second apply out. Call it at the top level of a test file.
 */
export function providerContractTests<Input>(harness: ProviderContractHarness<Input>): void {
  describe(`provider contract: ${harness.name}`, () => {
    let fixture: ContractFixture<Input>;
    beforeEach(async () => {
      fixture = await harness.setup();
    });
    afterEach(async () => {
      await fixture.close?.();
    });

    const planFor = (input: Input) =>
      plan(input, fixture.provider, { owner: fixture.owner, ...retryOf(fixture) });
    const applyInput = async (input: Input, onEvent?: (event: EngineEvent) => void) =>
      apply(await planFor(input), { ...fixture.options, ...(onEvent ? { onEvent } : {}) });
    const converged = async (input: Input) => {
      await applyInput(input);
      const again = await planFor(input);
      expect(again.steps.filter((s) => s.action !== 'noop')).toEqual([]);
      return again;
    };
    const idsOf = (steps: readonly { id: string; action: string }[], action: string) =>
      steps
        .filter((s) => s.action === action)
        .map((s) => s.id)
        .sort();

    it('creates everything from empty', async () => {
      const first = await planFor(fixture.initial);
      expect(first.steps.length).toBeGreaterThan(0);
      expect(first.steps.every((s) => s.action === 'create')).toBe(true);
      expect(first.steps.some((s) => s.dependsOn.length > 0)).toBe(true);
      const result = await apply(first, fixture.options);
      expect(result.totals).toMatchObject({ done: first.steps.length, failed: 0, notStarted: 0 });
    });

    it('plans no change after an apply, identically every time', async () => {
      const again = await converged(fixture.initial);
      const third = await planFor(fixture.initial);
      expect(JSON.stringify(third)).toBe(JSON.stringify(again));
    });

    it('updates in place what it declares updatable', async () => {
      await converged(fixture.initial);
      const changed = await planFor(fixture.inPlaceChange);
      expect(idsOf(changed.steps, 'update')).toEqual([...fixture.expectedUpdates].sort());
      expect(changed.summary.changes).toBe(fixture.expectedUpdates.length);
      await converged(fixture.inPlaceChange);
    });

    it('replaces what it declares must be replaced, and says why', async () => {
      await converged(fixture.initial);
      const changed = await planFor(fixture.replacingChange);
      expect(idsOf(changed.steps, 'replace')).toEqual([...fixture.expectedReplaces].sort());
      for (const step of changed.steps.filter((s) => s.action === 'replace')) {
        expect(step.fields?.length).toBeGreaterThan(0);
        expect(step.reason).toBeTruthy();
      }
      await converged(fixture.replacingChange);
    });

    it('deletes what leaves the graph', async () => {
      await converged(fixture.initial);
      const reduced = await planFor(fixture.reduced);
      expect(reduced.summary.delete).toBeGreaterThan(0);
      expect(reduced.summary.create + reduced.summary.update + reduced.summary.replace).toBe(0);
      await converged(fixture.reduced);
    });

    it('destroys everything owned and nothing else', async () => {
      const applied = await converged(fixture.initial);
      const unownedIsIntact = await fixture.createUnowned();
      const result = await destroy(fixture.owner, fixture.provider, fixture.options);
      expect(result.totals.done).toBe(applied.steps.length);
      const after = await planFor(fixture.initial);
      expect(after.steps.every((s) => s.action === 'create')).toBe(true);
      expect(after.steps.map((s) => s.id).sort()).toEqual(applied.steps.map((s) => s.id).sort());
      expect(await unownedIsIntact()).toBe(true);
      expect(await readLock(fixture.owner, fixture.provider)).toBeUndefined();
    });

    it('retries retryable errors', async () => {
      const events: EngineEvent[] = [];
      fixture.failNext(2, true);
      await applyInput(fixture.initial, (event) => events.push(event));
      expect(events.filter((e) => e.type === 'resource.retry').length).toBeGreaterThanOrEqual(2);
      await converged(fixture.initial);
    });

    it('surfaces non-retryable errors without retrying, and a second apply finishes', async () => {
      const events: EngineEvent[] = [];
      fixture.failNext(1, false);
      const failure = await applyInput(fixture.initial, (e) => events.push(e)).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(isApplyError(failure)).toBe(true);
      if (!isApplyError(failure)) return;
      expect(failure.failed).toHaveLength(1);
      expect(isProviderError(failure.failed[0]?.error)).toBe(true);
      expect(failure.failed[0]?.error.retryable).toBe(false);
      expect(events.filter((e) => e.type === 'resource.retry')).toEqual([]);
      await converged(fixture.initial);
    });

    it('keeps a second apply out while the cluster lock is held, until it is broken', async () => {
      const ctx = { owner: fixture.owner, signal: new AbortController().signal };
      await fixture.provider.lock.create(ctx, {
        id: 'contract-other-holder',
        holder: 'someone-else',
        operation: 'apply',
        acquiredAt: new Date(0).toISOString(),
      });
      const blocked = await applyInput(fixture.initial).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(isLockedError(blocked)).toBe(true);
      expect((await breakLock(fixture.owner, fixture.provider))?.holder).toBe('someone-else');
      await converged(fixture.initial);
      expect(await readLock(fixture.owner, fixture.provider)).toBeUndefined();
    });
  });
}

function retryOf<Input>(fixture: ContractFixture<Input>) {
  return fixture.options?.retry === undefined ? {} : { retry: fixture.options.retry };
}
