import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { sysextFileName } from '../modules/index.js';
import {
  DEFAULT_SYSEXT_BASE_URL,
  type PinsFile,
  pinsFileFor,
  sysextReleaseUrl,
} from '../render/pins.js';
import { DEFAULT_KUBERNETES_VERSION } from '../spec/kubernetes-versions.js';

// hakoc ships no SHA-256 of the Kubernetes sysext: a real render resolves it from the release's
// SHA256SUMS once. Tests, benchmarks and examples run offline and boot nothing, so they pin (or
// serve) this stand-in instead; one value keeps their rendered boot configs comparable.

/**
 * The SHA-256 every stand-in pin and stand-in release names: the hash of a short text, not of a
 * sysext image, so a machine that ever fetched the image would refuse it.
 */
export const STAND_IN_SYSEXT_SHA256: string = createHash('sha256')
  .update('hakoc stand-in sysext image')
  .digest('hex');

/** Which sysext a stand-in pins or serves. */
export interface StandInSysextOptions {
  /**
   * The Kubernetes version.
   * @default DEFAULT_KUBERNETES_VERSION
   */
  readonly version?: string;
  /**
   * The release base URL, as in `spec.image.sysextBaseUrl`; `undefined` means the default, so a
   * model's optional field can be passed as it is.
   * @default DEFAULT_SYSEXT_BASE_URL
   */
  readonly baseUrl?: string | undefined;
}

/**
 * A pins file with the {@link STAND_IN_SYSEXT_SHA256} for the sysext of one version under one
 * base URL: what `loadOrResolvePins` would have cached, without fetching `SHA256SUMS`.
 */
export function standInSysextPins(options: StandInSysextOptions = {}): PinsFile {
  const version = options.version ?? DEFAULT_KUBERNETES_VERSION;
  const file = sysextFileName(version);
  const release = sysextReleaseUrl(options.baseUrl ?? DEFAULT_SYSEXT_BASE_URL, version);
  return {
    version: 1,
    sysext: { [file]: { url: `${release}/${file}`, sha256: STAND_IN_SYSEXT_SHA256 } },
  };
}

/**
 * Writes {@link standInSysextPins} to the pins file of a key store (`pins.json` beside
 * `keyStoreDir`, making its parent folder), so renders with that key store work offline.
 *
 * @returns the pins file's path.
 */
export async function writeStandInSysextPins(
  keyStoreDir: string,
  options: StandInSysextOptions = {},
): Promise<string> {
  const file = pinsFileFor(keyStoreDir);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(standInSysextPins(options), null, 2)}\n`);
  return file;
}

/** A stand-in sysext release served on 127.0.0.1, from {@link startStandInSysextRelease}. */
export interface StandInSysextRelease {
  /** The base URL to put in `spec.image.sysextBaseUrl`. */
  readonly baseUrl: string;
  /** How many times `SHA256SUMS` was fetched. */
  readonly fetches: () => number;
  /** Stops the server, dropping any connection still open. */
  readonly close: () => Promise<void>;
}

/**
 * Serves `/kubernetes-v<version>/SHA256SUMS` on a free loopback port, listing the version's
 * sysext with {@link STAND_IN_SYSEXT_SHA256}; every other path is a 404. For code that resolves
 * its pins as it would from the real release (a first `hakoc plan`), without the network.
 */
export async function startStandInSysextRelease(
  version: string = DEFAULT_KUBERNETES_VERSION,
): Promise<StandInSysextRelease> {
  let fetches = 0;
  const server = createServer((request, response) => {
    if (request.url === `/kubernetes-v${version}/SHA256SUMS`) {
      fetches += 1;
      response.end(`${STAND_IN_SYSEXT_SHA256}  ${sysextFileName(version)}\n`);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    fetches: () => fetches,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
