import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { HakocError, writeFileAtomic } from '@hakoc/certs';
import * as z from 'zod';
import type { ClusterModel } from '../model/index.js';
import { type KubernetesBinaries, sysextFileName } from '../modules/index.js';
import type { FetchLike } from './fetch-like.js';
import { digestFor, type ImagePins, imageTagsOf } from './image-pins.js';
import type { ImageDigest } from './image-reference.js';
import { resolveImageDigest } from './registry-digest.js';

/** Where Flatcar's sysext bakery publishes releases, unless `spec.image.sysextBaseUrl` says otherwise. */
export const DEFAULT_SYSEXT_BASE_URL = 'https://github.com/flatcar/sysext-bakery/releases/download';

/** One pinned download: where it is and the SHA-256 it must have. */
export interface DownloadPin {
  /** The URL machines fetch at first boot. */
  readonly url: string;
  /** Lowercase hex SHA-256 from the release's `SHA256SUMS`. */
  readonly sha256: string;
}

/**
 * The pins file: hashes and digests the operator's machine resolved once, kept next to the key
 * store so later renders are deterministic and work offline.
 */
export interface PinsFile {
  /** Format version. */
  readonly version: 1;
  /** Flatcar Kubernetes sysext images, by file name (`kubernetes-v1.36.2-x86-64.raw`). */
  readonly sysext: Readonly<Record<string, DownloadPin>>;
  /**
   * Container image digests by tag reference (`registry.k8s.io/kube-proxy:v1.35.4`), for tags
   * hakoc ships no digest of. Absent in files written before images were pinned.
   */
  readonly images?: ImagePins;
}

const EMPTY_PINS: PinsFile = { version: 1, sysext: {}, images: {} };

const HEX_SHA256 = /^[0-9a-f]{64}$/;
const pinsFileSchema = z.object({
  version: z.literal(1),
  sysext: z.record(z.string(), z.object({ url: z.string(), sha256: z.string().regex(HEX_SHA256) })),
  images: z
    .record(
      z.string(),
      z
        .string()
        .regex(/^sha256:[0-9a-f]{64}$/)
        .transform((digest) => digest as ImageDigest),
    )
    .optional(),
});

/** The pins file that belongs to a key store directory: `pins.json` beside it. */
export function pinsFileFor(keyStoreDir: string): string {
  return join(dirname(keyStoreDir), 'pins.json');
}

/** The release folder of Kubernetes `version` under a sysext base URL. */
export function sysextReleaseUrl(baseUrl: string, version: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/kubernetes-v${version}`;
}

/** Reads a pins file; an absent file holds no pins. */
export async function readPins(file: string): Promise<PinsFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    if ((cause as { code?: unknown }).code === 'ENOENT') return EMPTY_PINS;
    throw new HakocError('HAKOC_PINS_IO', `cannot read the pins file ${file}`, { cause });
  }
  try {
    const parsed = pinsFileSchema.safeParse(JSON.parse(text));
    if (parsed.success) {
      return { version: 1, sysext: parsed.data.sysext, images: parsed.data.images ?? {} };
    }
  } catch {
    // not JSON: reported below
  }
  throw new HakocError('HAKOC_PINS_CORRUPT', `${file} is not a hakoc pins file`, {
    hint: 'delete it; the next render resolves the pins again',
  });
}

/**
 * Finds the SHA-256 of the sysext of `version` in its release's `SHA256SUMS`.
 *
 * @throws HakocError `HAKOC_PINS_UNRESOLVED` when the sums cannot be fetched or do not list it.
 */
export async function resolveSysextPin(options: {
  readonly version: string;
  readonly baseUrl: string;
  readonly fetch: FetchLike;
}): Promise<DownloadPin> {
  const release = sysextReleaseUrl(options.baseUrl, options.version);
  const file = sysextFileName(options.version);
  const sumsUrl = `${release}/SHA256SUMS`;
  const fail = (why: string, cause?: unknown) =>
    new HakocError('HAKOC_PINS_UNRESOLVED', `cannot pin ${file}: ${why}`, {
      ...(cause === undefined ? {} : { cause }),
      hint: `run hakoc where ${sumsUrl} is reachable once (the pin is then cached), set spec.image.sysextBaseUrl to a reachable mirror, or use a pre-built image (spec.image.name)`,
    });
  let sums: string;
  try {
    const response = await options.fetch(sumsUrl, { signal: AbortSignal.timeout(30_000) });
    if (!response.ok) throw fail(`${sumsUrl} answered HTTP ${response.status}`);
    sums = await response.text();
  } catch (error) {
    if (error instanceof HakocError) throw error;
    throw fail(`${sumsUrl} could not be fetched`, error);
  }
  for (const line of sums.split('\n')) {
    const match = /^([0-9a-fA-F]{64})\s+\*?(\S+)\s*$/.exec(line);
    if (match?.[1] !== undefined && match[2] === file) {
      return { url: `${release}/${file}`, sha256: match[1].toLowerCase() };
    }
  }
  throw fail(`${sumsUrl} does not list it`);
}

/** What {@link loadOrResolvePins} needs. */
export interface LoadOrResolvePinsOptions {
  /** The pins file, normally {@link pinsFileFor} the key store. */
  readonly file: string;
  /** The cluster whose binaries and images need pins. */
  readonly model: ClusterModel;
  /** @default globalThis.fetch */
  readonly fetch?: FetchLike;
}

/** Entries sorted by key, so the file's bytes depend only on its content. */
const sorted = <Value>(record: Readonly<Record<string, Value>>): Record<string, Value> =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));

/**
 * The pins a model needs. Image digests hakoc ships (see `KNOWN_IMAGE_DIGESTS`) come first and
 * need nothing; then the file; what neither has is resolved (the sysext's SHA-256 from its
 * release's `SHA256SUMS`, an image's digest from its registry) and added to the file
 * atomically, so the next render is offline. The default Kubernetes version with a pre-built
 * image (`spec.image.name`) needs no network at all.
 *
 * @throws HakocError `HAKOC_PINS_UNRESOLVED`, `HAKOC_PINS_DIGEST_MISMATCH`, `HAKOC_PINS_CONFLICT`
 *   or `HAKOC_PINS_CORRUPT` when a pin cannot be had or trusted.
 */
export async function loadOrResolvePins(options: LoadOrResolvePinsOptions): Promise<PinsFile> {
  const pins = await readPins(options.file);
  const { model } = options;
  const fetch: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const cachedImages = pins.images ?? {};
  const missingImages = imageTagsOf(model).filter(
    (reference) => digestFor(reference, cachedImages) === undefined,
  );
  const resolvedImages = await Promise.all(
    missingImages.map(
      async (reference) => [reference, await resolveImageDigest({ reference, fetch })] as const,
    ),
  );
  let sysext = pins.sysext;
  if (model.image.kubernetesBinaries !== 'image') {
    const name = sysextFileName(model.kubernetes.version);
    const baseUrl = model.image.sysextBaseUrl ?? DEFAULT_SYSEXT_BASE_URL;
    // A pin from another mirror names another URL: resolve again rather than fetch elsewhere.
    if (
      pins.sysext[name]?.url !== `${sysextReleaseUrl(baseUrl, model.kubernetes.version)}/${name}`
    ) {
      const pin = await resolveSysextPin({ version: model.kubernetes.version, baseUrl, fetch });
      sysext = sorted({ ...pins.sysext, [name]: pin });
    }
  }
  if (resolvedImages.length === 0 && sysext === pins.sysext) return pins;
  const updated: PinsFile = {
    version: 1,
    sysext,
    images: sorted({ ...cachedImages, ...Object.fromEntries(resolvedImages) }),
  };
  await mkdir(dirname(options.file), { recursive: true });
  await writeFileAtomic(options.file, `${JSON.stringify(updated, null, 2)}\n`, 0o644);
  return updated;
}

/**
 * Where a model's Kubernetes binaries come from, given the pins.
 *
 * @throws HakocError `HAKOC_PINS_MISSING` when a download has no pin: hakoc never renders an
 *   unverified download.
 */
export function kubernetesBinariesFor(model: ClusterModel, pins: PinsFile): KubernetesBinaries {
  if (model.image.kubernetesBinaries === 'image') return { source: 'image' };
  const name = sysextFileName(model.kubernetes.version);
  const pin = pins.sysext[name];
  if (pin === undefined) {
    throw new HakocError('HAKOC_PINS_MISSING', `no SHA-256 pin for ${name}`, {
      hint: 'resolve it with loadOrResolvePins (hakoc render does), or use a pre-built image (spec.image.name)',
    });
  }
  return { source: 'sysext', version: model.kubernetes.version, url: pin.url, sha256: pin.sha256 };
}
