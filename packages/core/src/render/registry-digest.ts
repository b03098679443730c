import { createHash } from 'node:crypto';
import { HakocError } from '@hakoc/certs';
import { DEFAULT_KUBERNETES_VERSION } from '../spec/index.js';
import type { FetchLike, FetchLikeResponse } from './fetch-like.js';
import { type ImageDigest, parseTaggedImageReference } from './image-reference.js';

/**
 * The manifest types asked for, multi-platform first: an OCI index or a Docker manifest list is
 * what a multi-arch tag names, and pinning it keeps every platform. Single-platform manifests
 * are accepted for images published without a list.
 */
export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
] as const;

/** The distribution spec's advice for the largest manifest a registry should serve. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** What {@link resolveImageDigest} needs. */
export interface ResolveImageDigestOptions {
  /** A fully qualified tag reference, `registry/repository:tag`. */
  readonly reference: string;
  /** Usually `globalThis.fetch`; tests serve a registry from loopback. */
  readonly fetch: FetchLike;
  /**
   * Time limit of each request.
   * @default 30000
   */
  readonly timeoutMs?: number;
}

const isLoopback = (host: string) => /^(localhost|127(?:\.\d{1,3}){3})(?::\d+)?$/.test(host);

/** Reads `key="value"` pairs from a `WWW-Authenticate: Bearer …` challenge. */
function bearerChallenge(header: string | null): Map<string, string> | undefined {
  if (header === null || !/^bearer\s/i.test(header)) return undefined;
  return new Map(
    [...header.matchAll(/(\w+)="([^"]*)"/g)].map(([, key = '', value = '']) => [key, value]),
  );
}

/**
 * Resolves the digest a tag names, on the operator's machine, through the registry's OCI
 * distribution API: `GET /v2/<repository>/manifests/<tag>` with the index and manifest-list
 * media types accepted (and an anonymous bearer token where the registry asks for one, as
 * ghcr.io does). The digest is the SHA-256 of the bytes returned, computed here; a
 * `Docker-Content-Digest` header that disagrees is refused rather than believed.
 *
 * @throws HakocError `HAKOC_PINS_UNRESOLVED` when the registry is unreachable, answers an error
 *   or something that is not a manifest; `HAKOC_PINS_DIGEST_MISMATCH` when its digest header and
 *   the manifest's own hash differ.
 */
export async function resolveImageDigest(options: ResolveImageDigestOptions): Promise<ImageDigest> {
  const { reference } = options;
  const { registry, repository, tag } = parseTaggedImageReference(reference);
  // Plain HTTP only for a registry on this machine (a test stand-in or a local mirror).
  const url = `${isLoopback(registry) ? 'http' : 'https'}://${registry}/v2/${repository}/manifests/${tag}`;
  const fail = (why: string, cause?: unknown) =>
    new HakocError('HAKOC_PINS_UNRESOLVED', `cannot pin ${reference}: ${why}`, {
      ...(cause === undefined ? {} : { cause }),
      hint: `run hakoc once where ${registry} is reachable (the digest is then kept in pins.json beside the key store), or use a Kubernetes version whose digests hakoc ships, such as the default ${DEFAULT_KUBERNETES_VERSION}`,
    });
  const get = async (
    target: string,
    headers: Record<string, string>,
  ): Promise<FetchLikeResponse> => {
    try {
      return await options.fetch(target, {
        headers,
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
    } catch (cause) {
      throw fail(`${target} could not be fetched`, cause);
    }
  };
  const accept = { Accept: MANIFEST_MEDIA_TYPES.join(', ') };
  let response = await get(url, accept);
  const challenge =
    response.status === 401 ? bearerChallenge(response.headers.get('www-authenticate')) : undefined;
  if (challenge !== undefined) {
    const token = await anonymousToken(challenge, repository, get, fail);
    response = await get(url, { ...accept, Authorization: `Bearer ${token}` });
  }
  if (!response.ok) throw fail(`${url} answered HTTP ${response.status}`);
  const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
  if (!MANIFEST_MEDIA_TYPES.some((type) => type === mediaType)) {
    throw fail(
      `${url} answered ${mediaType === '' ? 'without a content type' : mediaType}, not an image manifest`,
    );
  }
  const body = new Uint8Array(await response.arrayBuffer());
  if (body.byteLength > MAX_MANIFEST_BYTES) {
    throw fail(`${url} answered ${body.byteLength} bytes, more than a manifest has`);
  }
  const digest: ImageDigest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  const claimed = response.headers.get('docker-content-digest')?.trim();
  if (claimed !== undefined && claimed !== digest) {
    throw new HakocError(
      'HAKOC_PINS_DIGEST_MISMATCH',
      `${registry} says ${reference} is ${claimed}, but the manifest it sent hashes to ${digest}`,
      {
        hint: 'something between this machine and the registry altered the manifest: pin from a network you trust',
      },
    );
  }
  return digest;
}

/** Fetches an anonymous pull token from the challenge's realm. */
async function anonymousToken(
  challenge: Map<string, string>,
  repository: string,
  get: (url: string, headers: Record<string, string>) => Promise<FetchLikeResponse>,
  fail: (why: string) => HakocError,
): Promise<string> {
  const realm = challenge.get('realm');
  const host = URL.canParse(realm ?? '') ? new URL(realm ?? '').host : '';
  if (
    realm === undefined ||
    !(realm.startsWith('https://') || (realm.startsWith('http://') && isLoopback(host)))
  ) {
    throw fail(`the registry asks for a token from ${realm ?? 'nowhere'}, not an https address`);
  }
  const query = new URLSearchParams({
    ...(challenge.has('service') ? { service: challenge.get('service') ?? '' } : {}),
    scope: challenge.get('scope') ?? `repository:${repository}:pull`,
  });
  const response = await get(`${realm}?${query}`, { Accept: 'application/json' });
  if (!response.ok) throw fail(`${realm} refused an anonymous token (HTTP ${response.status})`);
  let token: unknown;
  try {
    const parsed = JSON.parse(await response.text()) as { token?: unknown; access_token?: unknown };
    token = parsed.token ?? parsed.access_token;
  } catch {
    token = undefined;
  }
  if (typeof token !== 'string' || token === '') throw fail(`${realm} answered no token`);
  return token;
}
