import type { ClusterModel } from '@hakoc/core';

/** Where each Container Linux flavour publishes its GCE images. */
const IMAGE_PROJECTS = {
  flatcar: { project: 'kinvolk-public', family: (channel: string) => `flatcar-${channel}` },
  'fedora-coreos': {
    project: 'fedora-coreos-cloud',
    family: (channel: string) => `fedora-coreos-${channel}`,
  },
} as const;

/**
 * The boot image of every machine: the pre-built image when the spec names one (a bare name is
 * looked up in the cluster's project), else the newest image of the channel's family.
 */
export function bootImage(model: ClusterModel, project: string): string {
  const { image } = model;
  if (image.name !== undefined) {
    return image.name.includes('/')
      ? image.name
      : `projects/${project}/global/images/${image.name}`;
  }
  const source = IMAGE_PROJECTS[image.os];
  return `projects/${source.project}/global/images/family/${source.family(image.channel)}`;
}
