import { HakocError } from '@hakoc/certs';
import type { PinnedImageReference } from '../modules/index.js';

/** A content digest as registries write it: `sha256:` and 64 lowercase hex digits. */
export type ImageDigest = `sha256:${string}`;

/** The parts of a fully qualified tag reference, `registry/repository:tag`. */
export interface TaggedImageReference {
  /** Registry host, with its port when it has one (`registry.k8s.io`, `127.0.0.1:5000`). */
  readonly registry: string;
  /** Repository path inside the registry (`coredns/coredns`). */
  readonly repository: string;
  /** The tag (`v1.14.2`). */
  readonly tag: string;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
// The distribution spec's grammar, restricted to what hakoc writes: an explicit registry (a
// host with a dot or a port, or localhost), a lowercase path, a tag and no digest yet.
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const TAGGED = new RegExp(
  `^(?<registry>(?:[a-zA-Z0-9-]+\\.)+[a-zA-Z0-9-]+(?::\\d+)?|[a-zA-Z0-9.-]+:\\d+|localhost)/(?<repository>${COMPONENT}(?:/${COMPONENT})*):(?<tag>[\\w][\\w.-]{0,127})$`,
);

/** True for a well-formed SHA-256 digest. */
export function isImageDigest(value: string): value is ImageDigest {
  return DIGEST.test(value);
}

/**
 * Splits a fully qualified tag reference.
 *
 * @throws HakocError `HAKOC_IMAGE_REFERENCE` when it is not `registry/repository:tag`.
 */
export function parseTaggedImageReference(reference: string): TaggedImageReference {
  const groups = TAGGED.exec(reference)?.groups;
  if (
    groups?.registry === undefined ||
    groups.repository === undefined ||
    groups.tag === undefined
  ) {
    throw new HakocError('HAKOC_IMAGE_REFERENCE', `${reference} is not registry/repository:tag`);
  }
  return { registry: groups.registry, repository: groups.repository, tag: groups.tag };
}

/** `repository:tag@digest`: the tag stays for readers, the digest decides what is pulled. */
export function pinImageReference(reference: string, digest: ImageDigest): PinnedImageReference {
  return `${reference}@${digest}`;
}
