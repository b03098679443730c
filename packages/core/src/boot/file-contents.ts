import { gunzipSync, gzipSync } from 'node:zlib';

/** Files at least this large are gzip-compressed when that makes them smaller. */
export const COMPRESS_FROM_BYTES = 2048;

/** The bytes of a file's contents (text as UTF-8). */
export function contentBytes(contents: string | Uint8Array): Buffer {
  return typeof contents === 'string' ? Buffer.from(contents, 'utf8') : Buffer.from(contents);
}

/**
 * Gzip when it pays off. Node writes a fixed gzip header (no timestamp, no file name), so the
 * same bytes always compress to the same output and rendered configs stay reproducible.
 */
export function maybeGzip(bytes: Buffer): { bytes: Buffer; gzipped: boolean } {
  if (bytes.length < COMPRESS_FROM_BYTES) return { bytes, gzipped: false };
  const compressed = gzipSync(bytes, { level: 9 });
  return compressed.length < bytes.length
    ? { bytes: compressed, gzipped: true }
    : { bytes, gzipped: false };
}

/** Inverse of {@link maybeGzip}. */
export function maybeGunzip(bytes: Buffer, gzipped: boolean): Buffer {
  return gzipped ? gunzipSync(bytes) : bytes;
}

/** Text when the bytes are valid UTF-8 that round-trips, else the bytes themselves. */
export function decodeContents(bytes: Buffer): string | Uint8Array {
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? text : new Uint8Array(bytes);
}
