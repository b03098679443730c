import { isIP } from 'node:net';

/**
 * One spelling per IP address: IPv6 compressed and in hex (`0:0::0.0.0.0` → `::`), IPv4 as is.
 * WHATWG URL parsing does the canonicalising. Needed twice: `@peculiar/asn1-x509` cannot
 * encode IPv6 written with an embedded IPv4 tail, and comparing SANs must not see `::1` and
 * `0:0:0:0:0:0:0:1` as different.
 */
export function canonicalIp(ip: string): string {
  return isIP(ip) === 6 ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip;
}
