import ipaddr from 'ipaddr.js';

/** An IPv4 range, as numbers so ranges can be compared and counted. */
export interface Ipv4Range {
  /** The range as written back in canonical form, `10.2.0.0/16`. */
  readonly cidr: string;
  /** The network address as an unsigned 32-bit number. */
  readonly start: number;
  /** The last address (broadcast) as an unsigned 32-bit number. */
  readonly end: number;
  /** Prefix length, 0 to 32. */
  readonly prefix: number;
}

/** Why a text is not a usable IPv4 CIDR; `hint` says what to write instead. */
export type CidrProblem =
  | { kind: 'ipv6' }
  | { kind: 'syntax' }
  | { kind: 'hostBits'; network: string };

/** Total addresses in a range, network and broadcast included. */
export function rangeSize(range: Ipv4Range): number {
  return range.end - range.start + 1;
}

/** The address `offset` places after the network address, in dotted form. */
export function addressAt(range: Ipv4Range, offset: number): string {
  return formatIpv4(range.start + offset);
}

/** True when two ranges share at least one address. */
export function rangesOverlap(a: Ipv4Range, b: Ipv4Range): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** True when every address of `inner` is in `outer`. */
export function rangeContains(outer: Ipv4Range, inner: Ipv4Range): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/**
 * Parses a strict IPv4 CIDR: four decimal octets, a prefix length, and no bits set after the
 * prefix (a firewall or route would silently widen `10.2.1.0/16`, which is rarely meant).
 */
export function parseIpv4Cidr(text: string): Ipv4Range | CidrProblem {
  const [address = '', prefixText, ...rest] = text.split('/');
  if (ipaddr.IPv6.isValid(address)) return { kind: 'ipv6' };
  if (
    rest.length > 0 ||
    prefixText === undefined ||
    !/^\d{1,2}$/.test(prefixText) ||
    !ipaddr.IPv4.isValidFourPartDecimal(address)
  ) {
    return { kind: 'syntax' };
  }
  const prefix = Number(prefixText);
  if (prefix > 32) return { kind: 'syntax' };
  const value = ipaddr.IPv4.parse(address)
    .toByteArray()
    .reduce((sum, octet) => sum * 256 + octet, 0);
  const size = 2 ** (32 - prefix);
  const start = Math.floor(value / size) * size;
  const cidr = `${formatIpv4(start)}/${prefix}`;
  if (start !== value) return { kind: 'hostBits', network: cidr };
  return { cidr, start, end: start + size - 1, prefix };
}

/** True when {@link parseIpv4Cidr} returned a range rather than a problem. */
export function isIpv4Range(parsed: Ipv4Range | CidrProblem): parsed is Ipv4Range {
  return 'cidr' in parsed;
}

function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}
