import { HakocError } from '@hakoc/certs';

/** GCE's limit for one metadata value (Ignition reads the `user-data` key on GCE). */
export const GCE_METADATA_VALUE_LIMIT_BYTES = 256 * 1024;

/**
 * Fails early, at render time, when a config would not fit its channel: GCE would reject the
 * instance template only at apply time, far from the cause.
 *
 * @throws HakocError `HAKOC_BOOT_TOO_LARGE`
 */
export function assertFitsChannel(rendered: string, limitBytes: number, what: string): void {
  const size = Buffer.byteLength(rendered, 'utf8');
  if (size > limitBytes) {
    throw new HakocError(
      'HAKOC_BOOT_TOO_LARGE',
      `${what} is ${size} bytes, over the ${limitBytes}-byte limit of its channel`,
      { hint: 'move large files to a pre-built image or fetch them at boot with a pinned hash' },
    );
  }
}
