// A provider of your own, written against the public interface of @hakoc/core: it keeps each
// "machine" of a cluster as a JSON file in a folder. The engine does the rest — ordering,
// concurrency, retries, events, the cluster lock — and the contract suite every provider must
// pass checks it (examples/test/custom-provider.test.ts).
//
//   npm run build && node examples/custom-provider.ts [DIR]
//
// writes the machines of the laptop cluster (examples/vagrant.yaml) into DIR (default
// hakoc-out/folder-cloud); run it again and nothing changes.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  apply,
  buildClusterModel,
  type ClusterModel,
  changedFields,
  createOwner,
  formatDiagnostic,
  isOwnedBy,
  type LockRecord,
  type LockStore,
  noChange,
  type Provider,
  ProviderError,
  plan,
  type Resource,
  type ResourceState,
  type ResourceType,
  readClusterSpecFile,
  replaceFields,
  updateFields,
} from '@hakoc/core';

/** What the folder provider builds: a network and the machines on it. */
export interface FolderCluster {
  /** The machines' network, as a CIDR. */
  readonly network: string;
  /** Every machine. */
  readonly machines: readonly FolderMachine[];
}

/** One machine of a {@link FolderCluster}. */
export interface FolderMachine {
  /** Machine name, unique in the cluster. */
  readonly name: string;
  /** What it does: etcd, controlPlane, workers. */
  readonly role: string;
  /** Its fixed address. */
  readonly ip: string;
  /** What it boots; a new image means a new machine (machines are configured once). */
  readonly image: string;
  /** Its size; it changes in place. */
  readonly machineType: string;
}

/** A network or machine as it exists: one file. */
interface FolderObject extends ResourceState {
  readonly labels: Readonly<Record<string, string>>;
  readonly spec: Readonly<Record<string, string>>;
}

const PROVIDER = 'folder';
const NETWORK = 'folder.network';
const MACHINE = 'folder.machine';

/** The folder provider: `dir` plays the cloud. */
export function folderProvider(dir: string): Provider<FolderCluster, { machines: string[] }> {
  return {
    name: PROVIDER,
    // In dependency order: machines sit on the network.
    types: [
      folderType(dir, NETWORK, { replacedBy: ['cidr'] }),
      folderType(dir, MACHINE, { replacedBy: ['network', 'role', 'ip', 'image'] }),
    ],
    lock: folderLock(dir),
    desired: (cluster) => [
      { type: NETWORK, name: 'network', spec: { cidr: cluster.network } },
      ...cluster.machines.map(
        ({ name, ...spec }): Resource => ({
          type: MACHINE,
          name,
          spec: { network: 'network', ...spec },
          dependsOn: [{ type: NETWORK, name: 'network' }],
        }),
      ),
    ],
    outputs: (actual) => ({
      machines: actual.filter((a) => a.type === MACHINE).map((a) => a.state.name),
    }),
  };
}

/** The input from a hakoc cluster model: every machine the model names (all of them on Vagrant). */
export function folderClusterFrom(model: ClusterModel): FolderCluster {
  const sets = Object.values(model.machineSets);
  return {
    network: model.network.privateNetwork?.cidr ?? model.network.nodeCidr,
    machines: sets.flatMap((set) =>
      set.machines.map((machine) => ({
        name: machine.name,
        role: set.role,
        ip: machine.ip ?? '',
        image: `${model.image.os}-${model.image.channel}`,
        machineType: set.machineType,
      })),
    ),
  };
}

// One resource type: objects are <dir>/<type>/<id>.json, holding the request id that made them.
function folderType(
  dir: string,
  type: string,
  options: { readonly replacedBy: readonly string[] },
): ResourceType<Record<string, string>, FolderObject> {
  const folder = join(dir, type);
  const path = (id: string) => join(folder, `${id}.json`);
  const stored = async () => {
    const names = await readdir(folder).catch(() => []);
    const files = names.filter((name) => name.endsWith('.json'));
    return Promise.all(
      files.map(async (name) => {
        const text = await readFile(join(folder, name), 'utf8');
        return JSON.parse(text) as FolderObject & { readonly requestId: string };
      }),
    );
  };
  const stateOf = ({ id, name, labels, spec }: FolderObject): FolderObject => ({
    id,
    name,
    labels,
    spec,
  });
  return {
    type,
    // Only what carries our labels: another cluster's files are never ours to touch.
    list: async (_ctx, owner) =>
      (await stored()).filter((o) => isOwnedBy(o.labels, owner)).map(stateOf),
    async create(ctx, resource) {
      // A retried create sends the same request id: answer with what the first one made.
      const earlier = (await stored()).find((o) => o.requestId === ctx.requestId);
      if (earlier !== undefined) return stateOf(earlier);
      const object = {
        id: randomUUID(),
        name: resource.name,
        labels: ctx.owner.labels,
        spec: resource.spec,
      };
      await writeJson(path(object.id), { ...object, requestId: ctx.requestId });
      return object;
    },
    async update(ctx, current, resource) {
      const object = { ...current, spec: resource.spec };
      await writeJson(path(current.id), { ...object, requestId: ctx.requestId });
      return object;
    },
    delete: (_ctx, current) => rm(path(current.id), { force: true }),
    diff(resource, current) {
      const fields = changedFields(resource.spec, current.spec);
      if (fields.length === 0) return noChange();
      const forcing = fields.filter((field) => options.replacedBy.includes(field));
      if (forcing.length > 0) return replaceFields(fields, `${forcing.join(', ')} cannot change`);
      return updateFields(fields);
    },
  };
}

// The cluster lock: a file created with O_EXCL, so of two applies only one can take it.
function folderLock(dir: string): LockStore {
  const path = (cluster: string) => join(dir, 'locks', `${cluster}.json`);
  const read = async (cluster: string) => {
    const text = await readFile(path(cluster), 'utf8').catch(() => undefined);
    return text === undefined ? undefined : (JSON.parse(text) as LockRecord);
  };
  return {
    read: (ctx) => read(ctx.owner.cluster),
    async create(ctx, lock) {
      await mkdir(join(dir, 'locks'), { recursive: true });
      try {
        await writeFile(path(ctx.owner.cluster), JSON.stringify(lock), { flag: 'wx' });
      } catch (cause) {
        throw new ProviderError(`${ctx.owner.cluster} is locked`, {
          provider: PROVIDER,
          operation: 'lock',
          reason: 'conflict',
          cause,
        });
      }
    },
    async delete(ctx, lock) {
      // Only our own lock: one broken and taken by someone else stays theirs.
      if ((await read(ctx.owner.cluster))?.id === lock.id) {
        await rm(path(ctx.owner.cluster), { force: true });
      }
    },
  };
}

// Write, then rename: a crash never leaves half a file behind.
async function writeJson(path: string, value: unknown): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(`${path}.tmp`, `${JSON.stringify(value, null, 2)}\n`);
  await rename(`${path}.tmp`, path);
}

// Run as a script: plan and apply the laptop cluster's machines into the folder.
if (import.meta.main) {
  const dir = process.argv[2] ?? 'hakoc-out/folder-cloud';
  const parsed = await readClusterSpecFile(join(import.meta.dirname, 'vagrant.yaml'));
  if (!parsed.ok) {
    for (const diagnostic of parsed.diagnostics) console.error(formatDiagnostic(diagnostic));
    process.exit(1);
  }
  const model = buildClusterModel(parsed.spec);
  const provider = folderProvider(dir);
  const planned = await plan(folderClusterFrom(model), provider, {
    owner: createOwner(model.name),
  });
  console.log(`plan: ${planned.summary.changes} changes`);
  const result = await apply(planned, {
    onEvent: (event) => {
      if (event.type === 'resource.done') console.log(`  ${event.step.action} ${event.step.id}`);
    },
  });
  console.log(`machines in ${dir}: ${result.outputs?.machines.sort().join(', ')}`);
}
