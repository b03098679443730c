import type { ComputeClients } from './clients.js';
import { done } from './clients.js';

/** The project, region and labels the emulator tests use. */
export const PROJECT = 'hakoc-test';
export const REGION = 'europe-west1';
export const OURS = { 'hakoc-cluster': 'demo', 'hakoc-managed': 'true' };

/** A custom-mode network and one subnetwork, as a cluster's first two resources. */
export async function networkAndSubnet(c: ComputeClients, name = 'demo'): Promise<void> {
  await done(
    c,
    c.networks.insert({
      project: PROJECT,
      networkResource: { name, autoCreateSubnetworks: false, description: 'hakoc' },
    }),
  );
  await done(
    c,
    c.subnetworks.insert({
      project: PROJECT,
      region: REGION,
      subnetworkResource: {
        name: `${name}-nodes`,
        network: `global/networks/${name}`,
        ipCidrRange: '10.10.0.0/24',
      },
    }),
  );
}

/** A small instance template on the network from {@link networkAndSubnet}. */
export async function template(
  c: ComputeClients,
  name: string,
  machineType = 'e2-medium',
  extraDisk = false,
  network = 'demo',
): Promise<void> {
  const disks = [
    {
      boot: true,
      autoDelete: true,
      initializeParams: {
        sourceImage: 'projects/kinvolk-public/global/images/family/flatcar-stable',
        diskSizeGb: '20',
      },
    },
  ];
  if (extraDisk) {
    disks.push({
      boot: false,
      autoDelete: true,
      deviceName: 'etcd-data',
      initializeParams: { diskSizeGb: '10' },
    } as (typeof disks)[number] & { deviceName: string });
  }
  await done(
    c,
    c.instanceTemplates.insert({
      project: PROJECT,
      instanceTemplateResource: {
        name,
        properties: {
          machineType,
          labels: OURS,
          disks,
          networkInterfaces: [
            { subnetwork: `projects/${PROJECT}/regions/${REGION}/subnetworks/${network}-nodes` },
          ],
          metadata: { items: [{ key: 'user-data', value: '{"ignition":{"version":"3.3.0"}}' }] },
        },
      },
    }),
  );
}
