import { HakocError } from '@hakoc/certs';
import type { ClusterModel } from '../model/index.js';
import {
  type ComponentImages,
  componentImageTags,
  type PinnedImageReference,
} from '../modules/index.js';
import { type ImageDigest, pinImageReference } from './image-reference.js';
import { KNOWN_IMAGE_DIGESTS } from './known-image-digests.js';

/** Image digests by tag reference, as the pins file keeps them. */
export type ImagePins = Readonly<Record<string, ImageDigest>>;

/** The tag references of every image a model's machines run, each once, sorted. */
export function imageTagsOf(model: ClusterModel): string[] {
  return [...new Set(Object.values(componentImageTags(model.kubernetes.version)))].sort();
}

/**
 * The digest hakoc uses for a tag: the cross-checked one it ships, else the one the operator's
 * machine resolved once and kept in the pins file.
 *
 * @throws HakocError `HAKOC_PINS_CONFLICT` when the pins file names another digest for a tag
 *   hakoc ships: a tag that moved, or a file that was altered, is not silently used.
 */
export function digestFor(reference: string, images: ImagePins): ImageDigest | undefined {
  const known = KNOWN_IMAGE_DIGESTS[reference]?.digest;
  const pinned = images[reference];
  if (known !== undefined && pinned !== undefined && pinned !== known) {
    throw new HakocError(
      'HAKOC_PINS_CONFLICT',
      `the pins file names ${pinned} for ${reference}, hakoc's cross-checked digest is ${known}`,
      { hint: `remove ${reference} from pins.json; hakoc uses its own digest for it` },
    );
  }
  return known ?? pinned;
}

/**
 * The component images of a model, each pinned by digest.
 *
 * @throws HakocError `HAKOC_PINS_MISSING` when an image has no digest: hakoc never renders an
 *   image reference a registry could change. `HAKOC_PINS_CONFLICT` as {@link digestFor}.
 */
export function componentImagesFor(
  model: ClusterModel,
  images: ImagePins,
): ComponentImages<PinnedImageReference> {
  const tags = componentImageTags(model.kubernetes.version);
  const pin = (reference: string): PinnedImageReference => {
    const digest = digestFor(reference, images);
    if (digest === undefined) {
      throw new HakocError('HAKOC_PINS_MISSING', `no digest pin for ${reference}`, {
        hint: 'resolve it with loadOrResolvePins (hakoc render does), which keeps it in pins.json',
      });
    }
    return pinImageReference(reference, digest);
  };
  return {
    kubeApiserver: pin(tags.kubeApiserver),
    kubeControllerManager: pin(tags.kubeControllerManager),
    kubeScheduler: pin(tags.kubeScheduler),
    kubeProxy: pin(tags.kubeProxy),
    etcd: pin(tags.etcd),
    coredns: pin(tags.coredns),
    flannel: pin(tags.flannel),
    flannelCniPlugin: pin(tags.flannelCniPlugin),
    pause: pin(tags.pause),
  };
}
