import {
  type ClusterModel,
  type DestroyResult,
  destroy,
  loadPlan,
  type Owner,
  type Plan,
  type Provider,
  plan,
} from '@hakoc/core';
import type { ClusterOutputs } from './cluster-outputs.js';
import type { EngineRun } from './engine-run.js';

/** What `hakoc plan|apply|destroy` ask of a session, from their options. */
export interface SessionRequest {
  /** `--emulator`: start an in-process GCE emulator instead of talking to Google (GCE only). */
  readonly emulator?: boolean;
  /** `--emulator-state`: keep the emulator's world in this file across commands. */
  readonly emulatorState?: string;
  /** `--dir`: the key store folder. @default spec.keyStore.dir */
  readonly dir?: string;
  /** `--json`: the session's own messages become JSON lines on stderr. */
  readonly json?: boolean;
}

/**
 * One cluster ready for the engine, whichever provider runs it. Boot configs are rendered on
 * the first plan (that needs the key store and its passphrase); destroy never renders them.
 */
export interface ClusterSession {
  /** The cluster model. */
  readonly model: ClusterModel;
  /** Whose resources these are. */
  readonly owner: Owner;
  /**
   * The provider's read side and its lock, for `hakoc status` (list each type, outputs) and
   * `hakoc lock break`; nothing here needs the boot configs.
   */
  readonly provider: ClusterProvider;
  /** Plans from the spec and the real boot configs. */
  plan(run: EngineRun): Promise<Plan<ClusterOutputs>>;
  /** Checks a saved plan still holds, by planning again from the same input. */
  loadPlan(document: unknown, run: EngineRun): Promise<Plan<ClusterOutputs>>;
  /** Deletes everything the cluster owns. */
  destroy(run: EngineRun): Promise<DestroyResult>;
  /** Releases the provider's clients and stops an emulator the session started. */
  close(): Promise<void>;
}

/** What a session shows of its provider, whichever it is. */
export type ClusterProvider = Pick<
  Provider<never, ClusterOutputs>,
  'name' | 'types' | 'lock' | 'outputs'
>;

/** What {@link sessionFor} builds a session from. */
export interface SessionParts<Input, Output extends ClusterOutputs> {
  /** The cluster model. */
  readonly model: ClusterModel;
  /** Whose resources these are. */
  readonly owner: Owner;
  /** The provider the spec names, typed with its own input and outputs. */
  readonly provider: Provider<Input, Output>;
  /** Makes the provider's input (boot configs included); called once, on the first plan. */
  readonly input: (run: EngineRun) => Promise<Input>;
  /** Releases what the session holds. */
  readonly close: () => Promise<void>;
}

/** A {@link ClusterSession} over one typed provider, its input made once and kept. */
export function sessionFor<Input, Output extends ClusterOutputs>(
  parts: SessionParts<Input, Output>,
): ClusterSession {
  const { owner, provider } = parts;
  let input: Promise<Input> | undefined;
  const inputFor = (run: EngineRun) => {
    input ??= parts.input(run);
    return input;
  };
  // Only what the engine takes: the note is the session's, not the engine's.
  const engine = (run: EngineRun) => ({ owner, onEvent: run.onEvent, signal: run.signal });
  return {
    model: parts.model,
    owner,
    provider,
    plan: async (run) => plan(await inputFor(run), provider, engine(run)),
    loadPlan: async (document, run) =>
      loadPlan(document, await inputFor(run), provider, engine(run)),
    destroy: (run) => destroy(owner, provider, { onEvent: run.onEvent, signal: run.signal }),
    close: parts.close,
  };
}
