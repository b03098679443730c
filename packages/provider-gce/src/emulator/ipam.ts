import { invalidField } from './errors.js';
import { arrayField, isJsonObject, type Json, stringField } from './json.js';
import { refToPath } from './paths.js';
import type { World } from './world.js';

/**
 * Internal IP allocation inside a subnetwork's primary range. GCE keeps the network address,
 * the gateway (`.1`) and the last two addresses of a range for itself; the emulator does the same
 * and hands out the lowest free address, so a fresh world always gives the same IPs.
 */

/** An IPv4 CIDR as numbers. */
export interface Cidr {
  readonly base: number;
  readonly bits: number;
}

/** Parses `a.b.c.d` into a 32-bit number, or `undefined`. */
export function ipToNumber(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    n = n * 256 + Number(part);
  }
  return n;
}

/** Formats a 32-bit number as `a.b.c.d`. */
export function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** Parses `10.0.0.0/24`; throws GCE's 400 for a malformed range. */
export function parseCidr(cidr: string, field = 'resource.ipCidrRange'): Cidr {
  const [ip = '', bitsText = ''] = cidr.split('/');
  const base = ipToNumber(ip);
  const bits = Number(bitsText);
  if (base === undefined || !/^\d+$/.test(bitsText) || bits < 8 || bits > 29) {
    throw invalidField(
      field,
      cidr,
      'Must be a valid IPv4 CIDR range with a prefix length of 8 to 29.',
    );
  }
  const size = 2 ** (32 - bits);
  if (base % size !== 0) {
    throw invalidField(field, cidr, 'The IP range has host bits set.');
  }
  return { base, bits };
}

/** True when two ranges overlap. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  const aEnd = a.base + 2 ** (32 - a.bits);
  const bEnd = b.base + 2 ** (32 - b.bits);
  return a.base < bEnd && b.base < aEnd;
}

function collectIps(value: Json, out: Set<string>): void {
  if (Array.isArray(value)) for (const v of value) collectIps(v, out);
  else if (isJsonObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      if ((key === 'networkIP' || key === 'literal' || key === 'ip') && typeof v === 'string')
        out.add(v);
      else collectIps(v, out);
    }
  }
}

/** Every internal address taken in a project: NICs, reserved addresses, preserved IPs. */
function usedIps(world: World, project: string): Set<string> {
  const used = new Set<string>();
  for (const [path, value] of world.resources) {
    if (!path.startsWith(`projects/${project}/`)) continue;
    if (path.includes('/instances/')) {
      for (const nic of arrayField(value, 'networkInterfaces')) {
        if (isJsonObject(nic)) collectIps(nic.networkIP ?? null, used);
      }
    } else if (path.includes('/addresses/') && stringField(value, 'addressType') === 'INTERNAL') {
      const address = stringField(value, 'address');
      if (address) used.add(address);
    } else if (path.includes('/perInstanceConfigs/')) {
      collectIps(value.preservedState ?? null, used);
    }
  }
  // Stateful MIGs remember the IPs of members being re-created.
  for (const [path, meta] of world.meta) {
    if (path.startsWith(`projects/${project}/`)) collectIps(meta.identities ?? null, used);
  }
  return used;
}

/** The lowest free address in a subnetwork; throws when the range is full. */
export function allocateInternalIp(world: World, project: string, subnetRef: string): string {
  const subnetPath = refToPath(subnetRef, project);
  const subnet = world.require(subnetPath);
  const range = stringField(subnet, 'ipCidrRange') ?? '';
  const cidr = parseCidr(range);
  const used = usedIps(world, project);
  const size = 2 ** (32 - cidr.bits);
  for (let offset = 2; offset < size - 2; offset++) {
    const ip = numberToIp(cidr.base + offset);
    if (!used.has(ip)) return ip;
  }
  throw invalidField('networkIP', range, `The subnetwork ${subnetPath} has no free IP address.`);
}

/** True when an address is already taken in the project. */
export function ipTaken(world: World, project: string, ip: string): boolean {
  return usedIps(world, project).has(ip);
}
