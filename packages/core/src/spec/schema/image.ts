import * as z from 'zod';
import { schemaFor } from './schema-for.js';

/** Release channels of Flatcar Container Linux. */
export const FLATCAR_CHANNELS = ['stable', 'beta', 'alpha', 'lts'] as const;

/** Update streams of Fedora CoreOS. */
export const FEDORA_COREOS_CHANNELS = ['stable', 'testing', 'next'] as const;

/** A release channel of either OS; which ones apply depends on {@link ImageSpec.os}. */
export type ImageChannel =
  | (typeof FLATCAR_CHANNELS)[number]
  | (typeof FEDORA_COREOS_CHANNELS)[number];

/** `spec.image`: the operating system every machine boots. */
export interface ImageSpec {
  /**
   * Container Linux flavour; both boot with Ignition.
   * @default 'flatcar'
   */
  os: 'flatcar' | 'fedora-coreos';
  /**
   * Release channel: {@link FLATCAR_CHANNELS} for Flatcar, {@link FEDORA_COREOS_CHANNELS} for
   * Fedora CoreOS.
   * @default 'stable'
   */
  channel: ImageChannel;
  /**
   * A pre-built image to boot instead of the channel image. Kubernetes binaries are then
   * expected in /opt/kubernetes and are not downloaded at first boot.
   * @default undefined (the channel image, binaries downloaded)
   */
  name?: string;
  /**
   * Where Flatcar Kubernetes sysext releases are published: `<url>/kubernetes-vX.Y.Z/` holds
   * `kubernetes-vX.Y.Z-x86-64.raw` and its `SHA256SUMS`. Set it to a mirror you control.
   * @default 'https://github.com/flatcar/sysext-bakery/releases/download'
   */
  sysextBaseUrl?: string;
}

/** The schema of {@link ImageSpec}. */
export const imageSchema = schemaFor<ImageSpec>()(
  z
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
        .exactOptional()
        .describe(
          'A pre-built image to boot instead of the channel image. Kubernetes binaries are then expected in /opt/kubernetes and are not downloaded at first boot.',
        ),
      sysextBaseUrl: z
        .url({ protocol: /^https?$/ })
        .exactOptional()
        .describe(
          'Where Flatcar Kubernetes sysext releases are published: <url>/kubernetes-vX.Y.Z/ holds kubernetes-vX.Y.Z-x86-64.raw and its SHA256SUMS, from which the operator machine pins the hash. Defaults to https://github.com/flatcar/sysext-bakery/releases/download; set a mirror you control.',
        ),
    })
    .prefault({})
    .describe('The operating system image of every machine.'),
);
