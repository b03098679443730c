import { HakocError } from '@hakoc/core';
import ipaddr from 'ipaddr.js';
import type { VagrantClusterLayout } from './layout.js';

/** The code of the error {@link assertValidLayout} throws. */
export const LAYOUT_INVALID_CODE = 'HAKOC_VAGRANT_LAYOUT_INVALID';

/** File names the project itself uses; a machine's user-data must not overwrite them. */
export const RESERVED_FILE_NAMES: ReadonlySet<string> = new Set(['Vagrantfile', 'machines.json']);

/**
 * True for a plain file name that stays inside the project directory: no separators, no
 * leading dot (that would also hide it, and rules out `.` and `..`), not one of ours.
 */
export function isProjectFileName(name: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(name) && !RESERVED_FILE_NAMES.has(name);
}

/**
 * Every problem with a layout that Vagrant would not report itself. Vagrant merges two
 * machines of one name into one without a word, accepts any address and reads any file a
 * path points to, so those are checked here; what Vagrant does check (hostname characters,
 * the box) is left to `vagrant validate`, whose message is surfaced as it is.
 *
 * @returns one sentence per problem, empty when the layout is usable
 */
export function layoutProblems(layout: VagrantClusterLayout): string[] {
  const problems: string[] = [];
  if (layout.clusterName === '') problems.push('clusterName is empty');
  let network: [ipaddr.IPv4, number] | undefined;
  try {
    network = ipaddr.IPv4.parseCIDR(layout.network);
  } catch {
    problems.push(`network ${JSON.stringify(layout.network)} is not an IPv4 CIDR`);
  }
  const names = new Set<string>();
  const addresses = new Map<string, string>();
  for (const machine of layout.machines) {
    const label = `machine ${JSON.stringify(machine.name)}`;
    if (machine.name === '') problems.push('a machine has an empty name');
    if (names.has(machine.name)) problems.push(`${label} is defined twice`);
    names.add(machine.name);
    for (const { name, ip } of [machine, ...(machine.extraAddresses ?? [])]) {
      const named = name === machine.name ? label : `${label} (as ${JSON.stringify(name)})`;
      if (name !== machine.name) {
        if (names.has(name)) problems.push(`${named}: the name ${JSON.stringify(name)} is taken`);
        names.add(name);
      }
      problems.push(...addressProblems(named, ip, network));
      const owner = addresses.get(ip);
      if (owner !== undefined)
        problems.push(`${named} has the address of ${JSON.stringify(owner)}`);
      addresses.set(ip, name);
    }
    if (!Number.isInteger(machine.memoryMb) || machine.memoryMb < 256) {
      problems.push(`${label} has memoryMb ${machine.memoryMb}; at least 256 is needed`);
    }
    if (!Number.isInteger(machine.cpus) || machine.cpus < 1) {
      problems.push(`${label} has cpus ${machine.cpus}; a whole number of at least 1 is needed`);
    }
    if (machine.userData !== undefined && !isProjectFileName(machine.userData)) {
      problems.push(
        `${label} has userData ${JSON.stringify(machine.userData)}, not a plain file name`,
      );
    }
  }
  for (const server of layout.apiServers) {
    if (addresses.get(server.ip) !== server.name) {
      problems.push(`API server ${JSON.stringify(server.name)} at ${server.ip} is not a machine`);
    }
  }
  return problems;
}

/** Throws a `HakocError` listing every problem {@link layoutProblems} finds. */
export function assertValidLayout(layout: VagrantClusterLayout): void {
  const problems = layoutProblems(layout);
  if (problems.length === 0) return;
  throw new HakocError(
    LAYOUT_INVALID_CODE,
    `The Vagrant layout of ${JSON.stringify(layout.clusterName)} is not usable: ${problems.join('; ')}`,
    {
      hint: 'Fix the cluster spec; every machine needs its own name and an address inside the network.',
    },
  );
}

function addressProblems(
  label: string,
  ip: string,
  network: [ipaddr.IPv4, number] | undefined,
): string[] {
  if (!ipaddr.IPv4.isValidFourPartDecimal(ip))
    return [`${label} has address ${JSON.stringify(ip)}, not IPv4`];
  if (network === undefined) return [];
  const address = ipaddr.IPv4.parse(ip);
  const cidr = `${network[0].toString()}/${network[1]}`;
  if (!address.match(network)) return [`${label} has address ${ip}, outside ${cidr}`];
  const reserved = [
    ipaddr.IPv4.networkAddressFromCIDR(cidr),
    ipaddr.IPv4.broadcastAddressFromCIDR(cidr),
  ];
  if (reserved.some((other) => other.toString() === ip)) {
    return [`${label} has address ${ip}, the network or broadcast address of ${cidr}`];
  }
  return [];
}
