import { gceFailure } from './gce-errors.js';

/**
 * The fixed internal IP of etcd member `index` in `nodeCidr`. GCE assigns instance IPs itself,
 * but an etcd member must keep its address when it is re-created (its peers and certificates
 * know it), so hakoc picks member addresses itself, deterministically: from the top of the
 * range down (`…253`, `…252`, …), skipping the last two addresses GCE reserves. GCE hands out
 * addresses from the bottom up, so the two never meet in a range large enough for the cluster,
 * and once a member's per-instance config holds its IP, GCE reserves it.
 */
export function etcdMemberIp(nodeCidr: string, index: number): string {
  const [base = '', bitsText = ''] = nodeCidr.split('/');
  const octets = base.split('.').map(Number);
  const bits = Number(bitsText);
  const valid =
    octets.length === 4 &&
    octets.every((o) => Number.isInteger(o) && o >= 0 && o <= 255) &&
    Number.isInteger(bits) &&
    bits >= 8 &&
    bits <= 29;
  const size = 2 ** (32 - bits);
  if (!valid || index < 0 || index + 4 >= size) {
    throw gceFailure(
      `No address for etcd member ${index} in node CIDR ${nodeCidr}.`,
      { operation: 'create' },
      'invalid',
    );
  }
  const start = octets.reduce((n, o) => n * 256 + o, 0);
  const ip = start - (start % size) + size - 3 - index;
  return [24, 16, 8, 0].map((shift) => Math.floor(ip / 2 ** shift) % 256).join('.');
}
