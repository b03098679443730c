/**
 * Resource paths and links. The emulator keys every resource by its path below the API root
 * (`projects/p/zones/us-central1-a/instances/web-1`); `selfLink`s use the public
 * `https://www.googleapis.com/compute/v1/` prefix so stored worlds are independent of the port
 * and identical in shape to what GCE returns.
 */

/** Where a compute resource lives. */
export type Scope =
  | { readonly kind: 'global' }
  | { readonly kind: 'region'; readonly name: string }
  | { readonly kind: 'zone'; readonly name: string };

/** The prefix of every compute `selfLink`. */
export const COMPUTE_LINK_BASE = 'https://www.googleapis.com/compute/v1/';

/** `projects/p/global`, `projects/p/regions/r` or `projects/p/zones/z`. */
export function scopePath(project: string, scope: Scope): string {
  switch (scope.kind) {
    case 'global':
      return `projects/${project}/global`;
    case 'region':
      return `projects/${project}/regions/${scope.name}`;
    case 'zone':
      return `projects/${project}/zones/${scope.name}`;
  }
}

/** The full link of a resource path. */
export function selfLinkOf(path: string): string {
  return `${COMPUTE_LINK_BASE}${path}`;
}

/**
 * The stored path a reference names. GCE accepts full URLs (any host), `projects/…` paths and
 * project-relative ones (`global/networks/n`, `zones/z/machineTypes/m`).
 */
export function refToPath(ref: string, project: string): string {
  let path = ref.replace(/^https?:\/\/[^/]+\/compute\/(?:v1|beta|alpha)\//, '').replace(/^\//, '');
  if (/^(?:global|regions|zones)\//.test(path)) path = `projects/${project}/${path}`;
  return path;
}

/** The last segment of a path or link: a resource's name. */
export function nameOf(pathOrLink: string): string {
  const parts = pathOrLink.split('/');
  return parts[parts.length - 1] ?? '';
}
