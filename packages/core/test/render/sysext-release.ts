// A stand-in Kubernetes sysext release served from loopback: the artifact (bytes that only
// need to be the same on both ends) and a SHA256SUMS listing it among other files.
import { createHash } from 'node:crypto';
import { sysextFileName } from '@hakoc/core';
import { type LoopbackServer, serveFiles } from '../support/loopback-server.js';

/** A running release server with the artifact's real hash. */
export interface SysextRelease {
  readonly server: LoopbackServer;
  readonly artifact: Uint8Array;
  readonly sha256: string;
}

/** Serves `/kubernetes-v<version>/{SHA256SUMS,<raw>}` plus a tampered copy under `/tampered/`. */
export async function serveSysextRelease(version: string): Promise<SysextRelease> {
  const file = sysextFileName(version);
  const artifact = new Uint8Array(64 * 1024).map((_, i) => (i * 31 + 7) % 251);
  const sha256 = createHash('sha256').update(artifact).digest('hex');
  const tampered = Uint8Array.from(artifact);
  tampered[100] = (tampered[100] ?? 0) ^ 0xff;
  const sums = [
    `${'0'.repeat(64)}  kubernetes-v${version}-arm64.raw`,
    `${sha256}  ${file}`,
    `${'1'.repeat(64)}  ${file}.sig`,
  ].join('\n');
  const server = await serveFiles(
    new Map<string, string | Uint8Array>([
      [`/kubernetes-v${version}/SHA256SUMS`, `${sums}\n`],
      [`/kubernetes-v${version}/${file}`, artifact],
      [`/tampered/kubernetes-v${version}/${file}`, tampered],
    ]),
  );
  return { server, artifact, sha256 };
}
