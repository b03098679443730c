import { type Ipv4Range, isIpv4Range, parseIpv4Cidr } from '../cidr.js';
import type { Diagnostic } from '../diagnostic.js';
import { error } from './rule.js';

/**
 * Parses a CIDR field. Returns the range, or the diagnostic saying why it is not one (IPv6,
 * bad syntax, or host bits set — with the network that was probably meant).
 */
export function checkCidr(
  text: string,
  path: readonly (string | number)[],
): Ipv4Range | Diagnostic {
  const parsed = parseIpv4Cidr(text);
  if (isIpv4Range(parsed)) return parsed;
  switch (parsed.kind) {
    case 'ipv6':
      return error(
        'cidr.ipv6',
        path,
        `"${text}" is an IPv6 range`,
        'hakoc supports IPv4 only for now; use an IPv4 CIDR such as 10.2.0.0/16',
      );
    case 'hostBits':
      return error(
        'cidr.hostBits',
        path,
        `"${text}" has address bits set after its prefix`,
        `did you mean ${parsed.network}?`,
      );
    case 'syntax':
      return error(
        'cidr.invalid',
        path,
        `"${text}" is not an IPv4 CIDR`,
        'write a network address and a prefix length, like 10.2.0.0/16',
      );
  }
}

/** True when {@link checkCidr} returned a range. */
export function isRange(checked: Ipv4Range | Diagnostic): checked is Ipv4Range {
  return 'cidr' in checked;
}
