import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliIo, ExitCode, runCli } from '@hakoc/cli';
import { DEFAULT_KUBERNETES_VERSION } from '@hakoc/core';
import { type StandInSysextRelease, startStandInSysextRelease } from '@hakoc/core/testing';
import { afterAll, beforeAll, expect } from 'vitest';
import { parse, stringify } from 'yaml';
import { type CapturedIo, captureIo } from '../capture-io.js';

/** The passphrase of every fixture's key store. */
export const FIXTURE_PASSPHRASE = 'cluster fixture passphrase';

// The tests' sysext release is the core testing kit's stand-in, under the names they use.
export {
  type StandInSysextRelease as SysextRelease,
  startStandInSysextRelease as startSysextRelease,
} from '@hakoc/core/testing';

/** A copy of an example spec in its own folder, which is also the commands' working directory. */
export interface ClusterFixture {
  /** The folder: the spec, and (by the spec's default) the key store under `.hakoc/`. */
  readonly dir: string;
  /** The spec's path. */
  readonly spec: string;
  /** The key store's folder, `spec.keyStore.dir` resolved. */
  readonly keyStore: string;
  /** A captured io working in `dir` with the key-store passphrase set (and `env` added). */
  io(env?: CliIo['env']): CapturedIo;
  /** Removes the folder. */
  readonly remove: () => void;
}

/**
 * `examples/<name>.yaml` copied into a fresh folder, its Kubernetes sysext pinned from
 * `sysextBaseUrl` (a stand-in release from `@hakoc/core/testing`), so the commands render the example's real boot
 * configs offline.
 */
export function clusterFixture(name: 'gce' | 'vagrant', sysextBaseUrl: string): ClusterFixture {
  const dir = mkdtempSync(join(tmpdir(), `hakoc-cli-${name}-`));
  const document = parse(
    readFileSync(new URL(`../../../../examples/${name}.yaml`, import.meta.url), 'utf8'),
  ) as { metadata: { name: string }; spec: Record<string, unknown> };
  document.spec.image = { sysextBaseUrl };
  const spec = join(dir, 'cluster.yaml');
  writeFileSync(spec, stringify(document));
  return {
    dir,
    spec,
    keyStore: join(dir, '.hakoc', document.metadata.name, 'pki'),
    io: (env = {}) =>
      captureIo({ cwd: dir, env: { HAKOC_PASSPHRASE: FIXTURE_PASSPHRASE, ...env } }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** What one `hakoc` run through `runCli` printed, and its exit code. */
export interface HakocRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** A {@link ClusterFixture} shared by a whole test file, with its emulator world file. */
export interface SharedClusterFixture extends ClusterFixture {
  /** The emulator's state file in the fixture's folder (`--emulator-state`). */
  readonly world: string;
  /** Runs `hakoc ...args` in the fixture's folder with its passphrase. */
  hakoc(...args: string[]): Promise<HakocRun>;
  /** `hakoc plan` on the world, saved: the plan's steps; fails the test if the plan failed. */
  plannedSteps(): Promise<PlannedStep[]>;
  /** {@link plannedSteps} without the steps that change nothing. */
  changedSteps(): Promise<PlannedStep[]>;
  /** `hakoc apply --auto-approve` on the world; fails the test unless it exits 0. */
  applyApproved(): Promise<HakocRun>;
}

/** A step of a saved plan, as `hakoc plan --out` writes it. */
export interface PlannedStep {
  readonly id: string;
  readonly action: string;
  readonly type: string;
  readonly name: string;
  readonly dependsOn: readonly string[];
}

/**
 * A fixture of `examples/<name>.yaml` for every test of the calling file: its sysext release
 * starts and its folder is made before the file's tests (`beforeAll`), and both go after them.
 * Call it at the top of a test file; its members are there once the tests run.
 */
export function sharedClusterFixture(name: 'gce' | 'vagrant'): SharedClusterFixture {
  let release: StandInSysextRelease | undefined;
  let fixture: ClusterFixture | undefined;
  beforeAll(async () => {
    release = await startStandInSysextRelease(DEFAULT_KUBERNETES_VERSION);
    fixture = clusterFixture(name, release.baseUrl);
  });
  afterAll(async () => {
    fixture?.remove();
    await release?.close();
  });
  const current = (): ClusterFixture => {
    if (fixture === undefined) throw new Error('the shared cluster fixture is used outside a test');
    return fixture;
  };
  const world = () => join(current().dir, 'world.json');
  const hakoc = async (...args: string[]): Promise<HakocRun> => {
    const io = current().io();
    const code = await runCli(args, io);
    return { code, out: io.out(), err: io.err() };
  };
  const plannedSteps = async (): Promise<PlannedStep[]> => {
    const out = join(current().dir, 'plan.json');
    const run = await hakoc('plan', current().spec, '--emulator-state', world(), '--out', out);
    expect(run.code, run.err).toBe(ExitCode.Ok);
    return (JSON.parse(readFileSync(out, 'utf8')) as { plan: { steps: PlannedStep[] } }).plan.steps;
  };
  return {
    get dir() {
      return current().dir;
    },
    get spec() {
      return current().spec;
    },
    get keyStore() {
      return current().keyStore;
    },
    get world() {
      return world();
    },
    io: (env) => current().io(env),
    remove: () => current().remove(),
    hakoc,
    plannedSteps,
    changedSteps: async () => (await plannedSteps()).filter((step) => step.action !== 'noop'),
    async applyApproved() {
      const run = await hakoc(
        'apply',
        current().spec,
        '--emulator-state',
        world(),
        '--auto-approve',
      );
      expect(run.code, run.err).toBe(ExitCode.Ok);
      return run;
    },
  };
}

/** Every line of `text` parsed as JSON; throws on the first line that is not. */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON line: ${line}`);
      }
    });
}
