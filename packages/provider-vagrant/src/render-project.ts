import { createOwner, type Resource } from '@hakoc/core';
import {
  desiredResources,
  type VagrantDesiredOptions,
  type VagrantProviderInput,
} from './desired.js';
import { userDataFileName } from './layout-from-model.js';
import type { VagrantMachineSpec } from './machine-resource.js';
import {
  documentMachine,
  MACHINES_SCHEMA_VERSION,
  type MachinesDocument,
  serializeMachinesDocument,
} from './machines-json.js';
import type { VagrantProjectSpec } from './project-resource.js';
import { PROJECT_FILES, sha256Hex } from './project-store.js';
import { readVagrantfileTemplate } from './vagrantfile-template.js';

/**
 * The project directory of a cluster as files, by name: the Vagrantfile, `machines.json` and
 * every machine's user-data (secret: write it 0600). It is what an apply leaves in the
 * directory once every machine is up, byte for byte, so `hakoc render` shows exactly what
 * `hakoc apply` will write, and a project rendered and brought up by hand is recognised by
 * the next plan as the cluster's own.
 */
export async function renderVagrantProject(
  input: VagrantProviderInput,
  options: VagrantDesiredOptions = {},
): Promise<ReadonlyMap<string, string>> {
  const { layout, resources } = await desiredResources(input, options);
  const labels = createOwner(layout.clusterName).labels;
  const [project, ...machines] = resources as [
    Resource<VagrantProjectSpec>,
    ...Resource<VagrantMachineSpec>[],
  ];
  const entries = machines
    .map(({ name, spec }) =>
      documentMachine(
        { ...spec, name, userData: userDataFileName(name) },
        {
          box: spec.box,
          hypervisor: spec.hypervisor,
          hosts: spec.hosts,
          labels,
          userDataSha256: sha256Hex(spec.userData),
          kubernetesVersion: spec.kubernetesVersion,
        },
      ),
    )
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const document: MachinesDocument = {
    schemaVersion: MACHINES_SCHEMA_VERSION,
    clusterName: project.name,
    box: project.spec.box,
    hypervisor: project.spec.hypervisor,
    netmask: project.spec.netmask,
    labels: { ...labels },
    etcdMembers: [...project.spec.etcdMembers],
    machines: entries,
  };
  const files = new Map<string, string>([
    [PROJECT_FILES.vagrantfile, await readVagrantfileTemplate()],
    [PROJECT_FILES.machines, serializeMachinesDocument(document)],
  ]);
  for (const { name, spec } of machines) files.set(userDataFileName(name), spec.userData);
  return files;
}
