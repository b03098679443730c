import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeStandInSysextPins } from '@hakoc/core/testing';
import { exampleSpec, sizedModel } from './example-cluster.ts';

/** A scratch key store for `hakoc plan|apply`, with the download pins already in place. */
export interface CliWorkspace {
  /** The key store folder to pass as `--dir` (created by the first command that needs it). */
  readonly keyStore: string;
  /** Environment the commands need: the key store's passphrase. */
  readonly env: Readonly<Record<string, string>>;
  remove(): Promise<void>;
}

/**
 * Makes a temporary folder for the example GCE cluster's key store, and writes `pins.json`
 * beside it with the testing kit's stand-in checksum, so the CLI renders offline instead of
 * fetching the sysext release's `SHA256SUMS`.
 */
export async function cliWorkspace(): Promise<CliWorkspace> {
  const dir = await mkdtemp(join(tmpdir(), 'hakoc-bench-cli-'));
  const keyStore = join(dir, 'pki');
  const model = sizedModel(await exampleSpec('gce'), { etcd: 3, controllers: 3, workers: 10 });
  await writeStandInSysextPins(keyStore, {
    version: model.kubernetes.version,
    baseUrl: model.image.sysextBaseUrl,
  });
  return {
    keyStore,
    env: { HAKOC_PASSPHRASE: 'benchmark passphrase' },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
