import { GCE_NAME_PATTERN } from '../../model/names.js';
import { FEDORA_COREOS_CHANNELS, FLATCAR_CHANNELS } from '../schema/image.js';
import { error, rule } from './rule.js';

/** The channel must exist for the chosen OS (Flatcar and Fedora CoreOS name them differently). */
export const imageChannel = rule(['image'], ({ image }) => {
  const channels: readonly string[] =
    image.os === 'flatcar' ? FLATCAR_CHANNELS : FEDORA_COREOS_CHANNELS;
  if (channels.includes(image.channel)) return [];
  return [
    error(
      'image.channel',
      ['spec', 'image', 'channel'],
      `${image.os} has no "${image.channel}" channel`,
      `${image.os} channels: ${channels.join(', ')}`,
    ),
  ];
});

/** A pre-built image is referred to by its GCE image name. */
export const imageName = rule(['image'], ({ image }) =>
  image.name === undefined || (GCE_NAME_PATTERN.test(image.name) && image.name.length <= 63)
    ? []
    : [
        error(
          'image.name',
          ['spec', 'image', 'name'],
          `"${image.name}" is not a valid image name`,
          'image names are 1 to 63 lowercase letters, digits and hyphens, starting with a letter',
        ),
      ],
);
