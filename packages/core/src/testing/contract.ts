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
  isStalePlanError,
  type Owner,
  type Provider,
  plan,
  readLock,
  resourceId,
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
  /**
   * A change of `initial` that replaces a resource other resources refer to (see
   * `Resource.references`), and that resource's step id; required when the harness sets
   * `declaresReferences`.
   */
  readonly referencedReplace?: { readonly input: Input; readonly replaced: string };
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
  /**
   * Whether the provider declares `Resource.references`, so the suite also checks that a
   * replaced resource others refer to does not stall on "in use". Fixtures must then carry
   * `referencedReplace`. @default false
   */
  readonly declaresReferences?: boolean;
}

/**
 * The vitest suite every provider must pass: create from empty, re-plan shows no changes, a
 * changed field updates or replaces as declared, delete, destroy leaves nothing owned and
 * touches nothing unowned, retryable errors are retried, non-retryable ones surface, the
 * cluster lock keeps a second apply out, an aborted or crashed apply resumes, a stale plan is
 * refused or planned again, a repeated create request makes no duplicate, and replacing what
 * others refer to does not stall on "in use". Call it at the top level of a test file.
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
    const applyInput = async (
      input: Input,
      onEvent?: (event: EngineEvent) => void,
      signal?: AbortSignal,
    ) =>
      apply(await planFor(input), {
        ...fixture.options,
        ...(onEvent ? { onEvent } : {}),
        ...(signal ? { signal } : {}),
      });
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
      // A holder whose lock was broken releases by its own id: that leaves this lock alone.
      await fixture.provider.lock.delete(ctx, {
        id: 'contract-former-holder',
        holder: 'me',
        operation: 'apply',
        acquiredAt: new Date(0).toISOString(),
      });
      expect((await readLock(fixture.owner, fixture.provider))?.holder).toBe('someone-else');
      expect((await breakLock(fixture.owner, fixture.provider))?.holder).toBe('someone-else');
      await converged(fixture.initial);
      expect(await readLock(fixture.owner, fixture.provider)).toBeUndefined();
    });
    it('stops on abort, and a later apply finishes the job', async () => {
      const controller = new AbortController();
      const failure = await applyInput(
        fixture.initial,
        (event) => {
          if (event.type === 'resource.done') controller.abort();
        },
        controller.signal,
      ).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(isApplyError(failure) && failure.aborted).toBe(true);
      expect(await readLock(fixture.owner, fixture.provider)).toBeUndefined();
      await converged(fixture.initial);
    });

    it('resumes after a crash that left its lock and half its work behind', async () => {
      const controller = new AbortController();
      await applyInput(
        fixture.initial,
        (event) => {
          if (event.type === 'resource.done') controller.abort();
        },
        controller.signal,
      ).catch(() => undefined);
      // The process "died": its lock is still there, held by a holder that is gone.
      const ctx = { owner: fixture.owner, signal: new AbortController().signal };
      await fixture.provider.lock.create(ctx, {
        id: 'contract-dead-holder',
        holder: 'dead',
        operation: 'apply',
        acquiredAt: new Date(0).toISOString(),
      });
      expect(isLockedError(await applyInput(fixture.initial).catch((e: unknown) => e))).toBe(true);
      await breakLock(fixture.owner, fixture.provider);
      await converged(fixture.initial);
    });

    it('refuses a stale plan, and plans again when told to', async () => {
      const stale = await planFor(fixture.initial);
      await converged(fixture.reduced);
      const refused = await apply(stale, fixture.options).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(isStalePlanError(refused)).toBe(true);
      const result = await apply(stale, { ...fixture.options, onStale: 'replan' });
      expect(result.plan.fingerprint).not.toBe(stale.fingerprint);
      const again = await planFor(fixture.initial);
      expect(again.steps.filter((s) => s.action !== 'noop')).toEqual([]);
    });

    it('makes no duplicate when a create is sent twice with one request id', async () => {
      const resources = await fixture.provider.desired(fixture.initial);
      const root = resources.find((r) => (r.dependsOn ?? []).length === 0);
      const type = fixture.provider.types.find((t) => t.type === root?.type);
      if (root === undefined || type === undefined) throw new Error('no resource without deps');
      const ctx = {
        owner: fixture.owner,
        signal: new AbortController().signal,
        requestId: '8c1b7a1e-2f4d-8a6b-9c3d-0123456789ab',
        attempt: 1,
        progress: () => undefined,
      };
      const first = await type.create(ctx, root);
      // A second send is answered with the first object, or refused; never a second object.
      const second = await type.create({ ...ctx, attempt: 2 }, root).catch((e: unknown) => e);
      if (!isProviderError(second)) expect(second).toMatchObject({ id: first.id });
      const listed = await type.list(ctx, fixture.owner);
      expect(listed.filter((state) => state.name === root.name)).toHaveLength(1);
      const rest = await planFor(fixture.initial);
      expect(rest.steps.filter((s) => s.id.startsWith(`${resourceId(root)}@`))).toEqual([]);
      await converged(fixture.initial);
    });

    // Only for providers that declare references: the others have no such case to run.
    if (harness.declaresReferences) {
      it('replaces what others refer to without stalling on "in use"', async () => {
        const change = fixture.referencedReplace;
        expect(change, 'a provider that declares references gives referencedReplace').toBeDefined();
        if (change === undefined) return;
        await converged(fixture.initial);
        const changed = await planFor(change.input);
        expect(changed.steps.find((s) => s.id === change.replaced)?.action).toBe('replace');
        await converged(change.input);
      });
    }
  });
}

function retryOf<Input>(fixture: ContractFixture<Input>) {
  return fixture.options?.retry === undefined ? {} : { retry: fixture.options.retry };
}
