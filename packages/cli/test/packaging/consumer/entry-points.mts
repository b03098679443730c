// Every public entry point of the hakoc packages, and the example cluster planned against the
// GCE emulator through them. Shared by plan-example.mts (run from the installed tarballs) and the
// pack smoke test (run from the workspace sources), which compares the two.
import * as certs from '@hakoc/certs';
import * as cli from '@hakoc/cli';
import * as core from '@hakoc/core';
import {
  buildClusterModel,
  composeBootConfig,
  createOwner,
  formatDiagnostic,
  type PlanSummary,
  plan,
  readClusterSpecFile,
  renderIgnition,
} from '@hakoc/core';
import * as coreTesting from '@hakoc/core/testing';
import * as coreContract from '@hakoc/core/testing/contract';
import * as providerGce from '@hakoc/provider-gce';
import { type GceBootConfigs, gce } from '@hakoc/provider-gce';
import * as gceEmulator from '@hakoc/provider-gce/emulator';
import { startGceEmulator } from '@hakoc/provider-gce/emulator';
import * as providerVagrant from '@hakoc/provider-vagrant';

const entryPoints: Record<string, object> = {
  '@hakoc/certs': certs,
  '@hakoc/core': core,
  '@hakoc/core/testing': coreTesting,
  '@hakoc/core/testing/contract': coreContract,
  '@hakoc/provider-gce': providerGce,
  '@hakoc/provider-gce/emulator': gceEmulator,
  '@hakoc/provider-vagrant': providerVagrant,
  '@hakoc/cli': cli,
};

/** The run-time export names of every entry point, sorted. */
export function entryPointExports(): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(entryPoints).map(([name, namespace]) => [name, Object.keys(namespace).sort()]),
  );
}

/** What planning the example cluster on an empty emulated project gives. */
export interface PlannedExample {
  readonly summary: PlanSummary;
  /** `<action> <type/name>` for every step, in plan order. */
  readonly steps: string[];
}

/** The same small Ignition config for every machine of a role: it names the role. */
function bootConfigOf(role: string): string {
  const file = { path: '/etc/hakoc/role', contents: `${role}\n`, mode: 0o644 };
  return renderIgnition(composeBootConfig([{ module: 'smoke', part: { files: [file] } }]));
}

/** Plans the cluster of `specPath` against a GCE emulator started for it, then stops both. */
export async function planExampleCluster(specPath: string): Promise<PlannedExample> {
  const parsed = await readClusterSpecFile(specPath);
  if (!parsed.ok) throw new Error(parsed.diagnostics.map(formatDiagnostic).join('\n'));
  const model = buildClusterModel(parsed.spec);
  if (model.provider.name !== 'gce') throw new Error(`${specPath} is not a GCE cluster`);
  const bootConfigs: GceBootConfigs = {
    etcd: Object.fromEntries(
      model.machineSets.etcd.machines.map((m) => [m.name, bootConfigOf('etcd')]),
    ),
    controlPlane: bootConfigOf('controller'),
    workers: bootConfigOf('worker'),
  };
  const emulator = await startGceEmulator({
    latencyScale: 0.001,
    quotas: { region: { IN_USE_ADDRESSES: 64, CPUS: 96 } },
    dnsZones: [{ name: model.provider.dnsZone, dnsName: `${model.domain}.` }],
  });
  const provider = gce({ model, endpoint: emulator.url, requestsPerSecond: 0 });
  try {
    const planned = await plan({ model, bootConfigs }, provider, {
      owner: createOwner(model.name),
    });
    return {
      summary: planned.summary,
      steps: planned.steps.map((step) => `${step.action} ${step.id}`),
    };
  } finally {
    await provider.close();
    await emulator.close();
  }
}
