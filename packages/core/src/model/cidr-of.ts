import { type Ipv4Range, isIpv4Range, parseIpv4Cidr } from '../spec/cidr.js';
import { SpecError } from '../spec/spec-error.js';

/**
 * The range a spec field holds. A spec from `parseClusterSpec` always has valid ranges; this
 * guards specs assembled by hand, failing with the same error a parse would give.
 */
export function cidrOf(text: string, path: readonly (string | number)[]): Ipv4Range {
  const parsed = parseIpv4Cidr(text);
  if (isIpv4Range(parsed)) return parsed;
  throw new SpecError([
    {
      severity: 'error',
      code: 'cidr.invalid',
      message: `"${text}" is not a valid IPv4 CIDR`,
      path,
      hint: 'build the model from a spec returned by parseClusterSpec or loadClusterSpec',
    },
  ]);
}
