import { fileURLToPath } from 'node:url';
import { createClusterPki } from '@hakoc/certs';
import {
  buildClusterModel,
  type ClusterModel,
  type ClusterSpec,
  type PinsFile,
  parseClusterSpec,
  pkiRequestFor,
  type RenderedCluster,
  readClusterSpecFile,
  renderCluster,
} from '@hakoc/core';
import { standInSysextPins } from '@hakoc/core/testing';

/** The repository's root folder. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The example specs every figure is measured on. */
export const EXAMPLE_SPECS = {
  gce: fileURLToPath(new URL('../../examples/gce.yaml', import.meta.url)),
  vagrant: fileURLToPath(new URL('../../examples/vagrant.yaml', import.meta.url)),
} as const;

/** How many machines of each role; for an autoscaled pool `workers` is its maximum. */
export interface ClusterSize {
  readonly etcd: number;
  readonly controllers: number;
  readonly workers: number;
}

/** The pod range of clusters past 250 nodes: 1,024 node subnets, clear of the example's other ranges. */
export const WIDE_POD_CIDR = '10.128.0.0/14';

/** `3/3/10`: etcd / controllers / workers. */
export const sizeLabel = (size: ClusterSize): string =>
  `${size.etcd}/${size.controllers}/${size.workers}`;

/** Reads and checks an example spec. */
export async function exampleSpec(provider: keyof typeof EXAMPLE_SPECS): Promise<ClusterSpec> {
  const parsed = await readClusterSpecFile(EXAMPLE_SPECS[provider]);
  if (!parsed.ok) throw new Error(`${EXAMPLE_SPECS[provider]} is invalid`);
  return parsed.spec;
}

/** The example spec resized (checked again, as a user's spec would be) and its model. */
export function sizedModel(spec: ClusterSpec, size: ClusterSize): ClusterModel {
  const body = spec.spec;
  const workers =
    'count' in body.workers
      ? { ...body.workers, count: size.workers }
      : { ...body.workers, min: Math.min(body.workers.min, size.workers), max: size.workers };
  // One /24 of pods per node: past 250 nodes the example's /16 is too small, as a user would find.
  const network =
    size.etcd + size.controllers + size.workers > 250
      ? { ...body.network, podCidr: WIDE_POD_CIDR }
      : body.network;
  const resized = {
    ...spec,
    spec: {
      ...body,
      etcd: { ...body.etcd, count: size.etcd },
      controlPlane: { ...body.controlPlane, count: size.controllers },
      workers,
      network,
    },
  };
  const parsed = parseClusterSpec(resized);
  if (!parsed.ok) {
    const problems = parsed.diagnostics.map((d) => d.message).join('; ');
    throw new Error(`the example resized to ${sizeLabel(size)} is invalid: ${problems}`);
  }
  return buildClusterModel(parsed.spec);
}

/**
 * The model's download pins with the testing kit's stand-in checksum: rendering never fetches,
 * and the benchmark runs offline, so the hash only has to look like one.
 */
export function placeholderPins(model: ClusterModel): PinsFile {
  return standInSysextPins({
    version: model.kubernetes.version,
    baseUrl: model.image.sysextBaseUrl,
  });
}

/** Every boot config of the cluster, with a fresh P-256 PKI. */
export async function renderExample(model: ClusterModel): Promise<RenderedCluster> {
  const pki = await createClusterPki(pkiRequestFor(model));
  return renderCluster(model, pki, { pins: placeholderPins(model) });
}
