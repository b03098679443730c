import * as z from 'zod';

/** Release channels of Flatcar Container Linux. */
export const FLATCAR_CHANNELS = ['stable', 'beta', 'alpha', 'lts'] as const;

/** Update streams of Fedora CoreOS. */
export const FEDORA_COREOS_CHANNELS = ['stable', 'testing', 'next'] as const;

/** `spec.image`: the operating system every machine boots. */
export const imageSchema = z
  .strictObject({
    os: z
      .enum(['flatcar', 'fedora-coreos'])
      .default('flatcar')
      .describe('Container Linux flavour; both boot with Ignition.'),
    channel: z
      .enum([...new Set([...FLATCAR_CHANNELS, ...FEDORA_COREOS_CHANNELS])])
      .default('stable')
      .describe(
        `Release channel: for flatcar ${FLATCAR_CHANNELS.join(', ')}; for fedora-coreos ${FEDORA_COREOS_CHANNELS.join(', ')}.`,
      ),
    name: z
      .string()
      .optional()
      .describe(
        'A pre-built image to boot instead of the channel image. Kubernetes binaries are then expected in /opt/kubernetes and are not downloaded at first boot.',
      ),
  })
  .prefault({})
  .describe('The operating system image of every machine.');

/** The parsed `spec.image` section. */
export type ImageSpec = z.output<typeof imageSchema>;
