import { resolve } from 'node:path';
import {
  buildClusterModel,
  type ClusterModel,
  createOwner,
  HakocError,
  type Owner,
} from '@hakoc/core';
import { type GceInput, type GceProvider, gce } from '@hakoc/provider-gce';
import { bootConfigsFor } from './boot-configs.js';
import type { CommandContext } from './command-context.js';
import { loadSpecForCommand } from './load-spec.js';

/** The stable code of a spec whose provider these commands do not drive. */
export const PROVIDER_UNSUPPORTED_CODE = 'HAKOC_CLI_PROVIDER_UNSUPPORTED';

/** What `--emulator` asks for. */
export interface EmulatorRequest {
  /** Start an in-process GCE emulator instead of talking to Google. */
  readonly emulator?: boolean;
  /** Keep the emulator's world in this file across commands. */
  readonly emulatorState?: string;
}

/** A cluster ready for plan, apply or destroy: its model, provider and input. */
export interface ClusterSession {
  readonly model: ClusterModel;
  readonly owner: Owner;
  readonly provider: GceProvider;
  readonly input: GceInput;
  /** Stops the emulator (if one was started) and closes the provider's clients. */
  close(): Promise<void>;
}

/**
 * Reads the spec and makes its provider (the spec says which). With `--emulator`, starts a GCE
 * emulator on loopback first, its DNS zone seeded from the spec, and points the provider at it.
 * Resolves to undefined (exit code recorded) when the spec is invalid.
 */
export async function openClusterSession(
  specPath: string,
  request: EmulatorRequest,
  ctx: CommandContext,
): Promise<ClusterSession | undefined> {
  const spec = await loadSpecForCommand(specPath, ctx);
  if (spec === undefined) return undefined;
  const model = buildClusterModel(spec);
  if (model.provider.name !== 'gce') {
    throw new HakocError(
      PROVIDER_UNSUPPORTED_CODE,
      `Cluster ${model.name} runs on ${model.provider.name}; plan, apply and destroy drive gce clusters.`,
      { hint: 'Render a Vagrant cluster with `hakoc render` and run `vagrant up` in its folder.' },
    );
  }
  let stopEmulator = async () => {};
  let endpoint: string | undefined;
  if (request.emulator === true || request.emulatorState !== undefined) {
    // Loaded only when asked for: the emulator reads the compute client's protos.
    const { startGceEmulator } = await import('@hakoc/provider-gce/emulator');
    const emulator = await startGceEmulator({
      latencyScale: 0.001,
      // A fresh project's defaults (8 in-use addresses, 24 CPUs) are below an HA cluster's
      // needs; the emulator stands for a project whose quotas were raised for it.
      quotas: { region: { IN_USE_ADDRESSES: 64, CPUS: 96 } },
      dnsZones: [{ name: model.provider.dnsZone, dnsName: `${model.domain}.` }],
      ...(request.emulatorState === undefined
        ? {}
        : { statePath: resolve(ctx.io.cwd, request.emulatorState) }),
    });
    ctx.io.stderr(`${ctx.palette.dim(`GCE emulator at ${emulator.url}`)}\n`);
    endpoint = emulator.url;
    stopEmulator = () => emulator.close();
  }
  const provider = gce({
    model,
    ...(endpoint === undefined ? {} : { endpoint, requestsPerSecond: 0 }),
  });
  return {
    model,
    owner: createOwner(model.name),
    provider,
    input: { model, bootConfigs: bootConfigsFor(model) },
    async close() {
      await provider.close();
      await stopEmulator();
    },
  };
}
