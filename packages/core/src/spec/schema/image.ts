import * as z from 'zod';
import { customIssue } from './custom-issue.js';
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

/**
 * An https URL, or an http URL whose host is loopback (127.0.0.0/8, localhost, [::1]). The
 * SHA256SUMS fetched from the sysext mirror pin the binaries every machine runs, so they must
 * not travel over a network in clear text; a loopback host never leaves the operator machine,
 * which is what local mirrors and tests serve from. Written out for the JSON Schema, where
 * editors check it; the parser checks the parsed host instead (isSecureOrLoopback).
 */
const SECURE_OR_LOOPBACK_URL =
  /^(?:https:\/\/|http:\/\/(?:localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(?:[:/?#]|$))/;

/** True when `url` is https, or http to a loopback host; see SECURE_OR_LOOPBACK_URL. */
function isSecureOrLoopback(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not a URL at all: z.url() has already reported it.
    return true;
  }
  // Any scheme but http (ftp:, file:) is z.url()'s to report, once.
  if (parsed.protocol !== 'http:') return true;
  const host = parsed.hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
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
        .check((payload) => {
          const url = payload.value;
          if (!isSecureOrLoopback(url)) {
            payload.issues.push(
              customIssue(
                'image.insecureUrl',
                `"${url}" is plain http on a non-loopback host`,
                'use an https:// URL; plain http is accepted only for 127.0.0.1, localhost or [::1]',
              ),
            );
          }
        })
        .meta({ pattern: SECURE_OR_LOOPBACK_URL.source })
        .exactOptional()
        .describe(
          'Where Flatcar Kubernetes sysext releases are published: <url>/kubernetes-vX.Y.Z/ holds kubernetes-vX.Y.Z-x86-64.raw and its SHA256SUMS, from which the operator machine pins the hash. Defaults to https://github.com/flatcar/sysext-bakery/releases/download; set a mirror you control. Must be https: the SHA256SUMS fetched here decide which binary every machine runs, so a network attacker must not be able to rewrite them. Plain http is accepted only for a loopback host (127.0.0.0/8, localhost, [::1]), which never leaves the operator machine, for local mirrors and tests.',
        ),
    })
    .prefault({})
    .describe('The operating system image of every machine.'),
);
