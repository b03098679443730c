import { resolve } from 'node:path';
import {
  type ClusterModel,
  createOwner,
  ETCD_LEAVE_METADATA_KEY,
  ETCD_LEFT_GUEST_ATTRIBUTE,
  type GceProviderModel,
} from '@hakoc/core';
import { bootConfigsFromRendered, type GceInput, gce } from '@hakoc/provider-gce';
import { renderBootConfigs } from './boot-configs.js';
import type { CommandContext } from './command-context.js';
import { type ClusterSession, type SessionRequest, sessionFor } from './session.js';
import { writeSessionNote } from './session-notes.js';

/**
 * A GCE cluster's session. With `--emulator` (or `--emulator-state`), starts a GCE emulator on
 * loopback first, its DNS zone seeded from the spec, and points the provider at it.
 */
export async function openGceSession(
  model: ClusterModel,
  settings: GceProviderModel,
  keyStoreDir: string,
  request: SessionRequest,
  ctx: CommandContext,
): Promise<ClusterSession> {
  const json = request.json === true;
  let stopEmulator = async () => {};
  let endpoint: string | undefined;
  if (request.emulator === true || request.emulatorState !== undefined) {
    // Loaded only when asked for: the emulator reads the compute client's protos.
    const { startGceEmulator } = await import('@hakoc/provider-gce/emulator');
    const emulator = await startGceEmulator({
      latencyScale: 0.001,
      // A fresh project's defaults (8 in-use addresses, 24 CPUs, 500 GB of SSD) are below an HA
      // cluster's needs at its autoscaler's maximum; the emulator stands for a project whose
      // quotas were raised for it.
      quotas: { region: { IN_USE_ADDRESSES: 64, CPUS: 96, SSD_TOTAL_GB: 2048 } },
      dnsZones: [{ name: settings.dnsZone, dnsName: `${model.domain}.` }],
      ...(request.emulatorState === undefined
        ? {}
        : { statePath: resolve(ctx.io.cwd, request.emulatorState) }),
    });
    writeSessionNote(ctx, json, `GCE emulator at ${emulator.url}`, {
      type: 'cli.emulator',
      url: emulator.url,
    });
    // The emulator's VMs run nothing: play the etcd members' leave unit, which answers the
    // provider's request to leave (instance metadata) with a guest attribute once it left.
    emulator.onInstanceMetadata(({ path, items }) => {
      const request = items[ETCD_LEAVE_METADATA_KEY];
      // A VM deleted since its metadata changed writes nothing, as on GCE.
      if (request !== undefined && emulator.get(path) !== undefined)
        emulator.writeGuestAttribute(path, ETCD_LEFT_GUEST_ATTRIBUTE, request);
    });
    endpoint = emulator.url;
    stopEmulator = () => emulator.close();
  }
  const provider = gce({
    model,
    ...(endpoint === undefined ? {} : { endpoint, requestsPerSecond: 0 }),
  });
  return sessionFor({
    model,
    owner: createOwner(model.name),
    provider,
    async input(run): Promise<GceInput> {
      const rendered = await renderBootConfigs(model, keyStoreDir, ctx.io, run.note);
      return { model, bootConfigs: bootConfigsFromRendered(model, rendered) };
    },
    async close() {
      await provider.close();
      await stopEmulator();
    },
  });
}
