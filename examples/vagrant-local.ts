// The laptop cluster (examples/vagrant.yaml): render the Vagrant project — Vagrantfile, the
// machine list and each machine's cloud-config — and check it with the real `vagrant validate`
// when Vagrant is installed. Nothing boots; `vagrant up` in the project folder does that.
//
//   npm run build && node examples/vagrant-local.ts [OUT]
//
// The project lands in OUT/vagrant (default hakoc-out/vagrant-local), the key store in OUT/pki.
import { join } from 'node:path';
import { loadOrCreatePki } from '@hakoc/certs';
import {
  buildClusterModel,
  formatDiagnostic,
  isHakocError,
  loadOrResolvePins,
  pinsFileFor,
  pkiRequestFor,
  readClusterSpecFile,
  renderCluster,
  writeFilesUnder,
} from '@hakoc/core';
import {
  checkHostMemory,
  createVagrantCli,
  layoutFromModel,
  renderVagrantProject,
  userDataFromRendered,
  VAGRANT_ERROR_CODES,
} from '@hakoc/provider-vagrant';

const out = process.argv[2] ?? 'hakoc-out/vagrant-local';
const passphrase = process.env.HAKOC_PASSPHRASE ?? 'vagrant-local demo passphrase';

const parsed = await readClusterSpecFile(join(import.meta.dirname, 'vagrant.yaml'));
if (!parsed.ok) {
  for (const diagnostic of parsed.diagnostics) console.error(formatDiagnostic(diagnostic));
  process.exit(1);
}
const model = buildClusterModel(parsed.spec);

// The same boot configs as on GCE, rendered as cloud-config: Flatcar's Vagrant box boots that.
const keyStore = join(out, 'pki');
const { pki } = await loadOrCreatePki(keyStore, pkiRequestFor(model), { passphrase });
const pins = await loadOrResolvePins({ file: pinsFileFor(keyStore), model });
const rendered = renderCluster(model, pki, { pins });
const project = await renderVagrantProject({ model, userData: userDataFromRendered(rendered) });
const dir = join(out, 'vagrant');
await writeFilesUnder(dir, project);
console.log(`wrote ${project.size} files into ${dir}`);

// Every VM on the private network: an HAProxy load balancer in front of the API servers.
const layout = layoutFromModel(model);
for (const machine of layout.machines) {
  const size = `${machine.cpus} CPU, ${machine.memoryMb} MiB`;
  console.log(
    `  ${machine.name.padEnd(20)} ${machine.role.padEnd(13)} ${machine.ip.padEnd(15)} ${size}`,
  );
}
const balancer = model.network.privateNetwork?.loadBalancerIp;
console.log(`API server: ${model.endpoints.apiUrl} (the load balancer, ${balancer})`);
const memory = checkHostMemory(layout.machines);
if (memory !== undefined) console.log(`warning: ${memory.message}`);

// `vagrant validate --ignore-provider` reads the Vagrantfile and machine list without a
// hypervisor; `vagrant up` in the folder would bring the cluster up.
try {
  await createVagrantCli({ cwd: dir }).validate();
  console.log('vagrant validate: the Vagrantfile is valid');
} catch (error) {
  if (!isHakocError(error) || error.code !== VAGRANT_ERROR_CODES['not-found']) throw error;
  console.log('vagrant is not installed: skipped vagrant validate');
}
