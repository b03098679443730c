import { createHash, randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { HakocError, isHakocError, writeFileAtomic } from '@hakoc/certs';
import { type EtcdEndpointOptions, postToEtcdGateway } from './gateway.js';

/** What {@link saveEtcdSnapshot} reports while it runs. */
export type EtcdSnapshotEvent =
  | { readonly type: 'etcd.snapshot.start'; readonly endpoint: string }
  | {
      readonly type: 'etcd.snapshot.progress';
      /** Bytes received so far. */
      readonly bytes: number;
      /** Bytes the member said were still to come, when it said. */
      readonly remainingBytes?: number;
    }
  | {
      readonly type: 'etcd.snapshot.done';
      readonly path: string;
      readonly bytes: number;
      readonly sha256: string;
    };

/** Options of {@link saveEtcdSnapshot}. */
export interface SaveEtcdSnapshotOptions extends EtcdEndpointOptions {
  /** The file to write; replaced atomically, mode 0600. A `.sha256` file goes beside it. */
  readonly out: string;
  /** Receives progress events. */
  readonly onEvent?: (event: EtcdSnapshotEvent) => void;
  /**
   * Longest the whole download may take, in milliseconds.
   * @default 300000
   */
  readonly timeoutMs?: number;
}

/** The snapshot file written and its checksum. */
export interface EtcdSnapshotFile {
  /** The snapshot file. */
  readonly path: string;
  /** The `sha256sum -c` file beside it. */
  readonly checksumPath: string;
  /** Its size in bytes (the database and etcd's 32-byte SHA-256 trailer). */
  readonly bytes: number;
  /** SHA-256 of the whole file, lowercase hex. */
  readonly sha256: string;
}

/** etcd ends the snapshot stream with the SHA-256 of the database before it. */
const TRAILER_BYTES = 32;
/** Progress is reported at most once per this many bytes (and at the end). */
const PROGRESS_STEP = 1 << 20;

interface SnapshotMessage {
  readonly result?: { readonly blob?: string; readonly remaining_bytes?: string };
  readonly error?: { readonly message?: string };
}

/**
 * Saves a snapshot of the database of the member at `endpoint`, over TLS with the given client
 * certificate, through etcd's gRPC gateway (`POST /v3/maintenance/snapshot`: newline-delimited
 * JSON messages, each with a base64 `blob`). The stream ends with the SHA-256 of the database,
 * which is checked before the file is kept and stays in it, as in a file `etcdctl snapshot save`
 * writes, so `etcdctl snapshot restore` (and `etcdutl`) verify it again. The file appears only
 * when complete and verified (written beside it, synced, renamed), mode 0600.
 *
 * Plain HTTPS rather than the `etcd3` package: one streaming call needs no gRPC stack, and the
 * gateway is there in every etcd hakoc runs (3.4 to 3.7).
 *
 * @throws HakocError `HAKOC_ETCD_SNAPSHOT_CORRUPT` when the trailer does not match, and the
 * errors of the call (`HAKOC_ETCD_UNREACHABLE`, `HAKOC_ETCD_REFUSED`)
 */
export async function saveEtcdSnapshot(
  options: SaveEtcdSnapshotOptions,
): Promise<EtcdSnapshotFile> {
  const { out, onEvent } = options;
  const timeoutMs = options.timeoutMs ?? 300_000;
  onEvent?.({ type: 'etcd.snapshot.start', endpoint: options.endpoint });
  const response = await postToEtcdGateway(
    { ...options, timeoutMs },
    '/v3/maintenance/snapshot',
    {},
  );
  const part = join(dirname(out), `.${basename(out)}.${randomBytes(6).toString('hex')}.part`);
  const file = await open(part, 'wx', 0o600);
  const whole = createHash('sha256');
  const database = createHash('sha256');
  // The last 32 bytes seen so far may be the trailer: held back from the database hash.
  let tail = Buffer.alloc(0);
  let bytes = 0;
  let reported = 0;
  let pending = '';
  const take = async (line: string) => {
    if (line.trim() === '') return;
    const message = JSON.parse(line) as SnapshotMessage;
    if (message.error !== undefined) {
      throw new HakocError(
        'HAKOC_ETCD_REFUSED',
        `etcd at ${options.endpoint} stopped the snapshot: ${message.error.message ?? JSON.stringify(message.error)}`,
      );
    }
    const blob = Buffer.from(message.result?.blob ?? '', 'base64');
    await file.write(blob);
    whole.update(blob);
    const joined = Buffer.concat([tail, blob]);
    database.update(joined.subarray(0, Math.max(0, joined.length - TRAILER_BYTES)));
    tail = joined.subarray(Math.max(0, joined.length - TRAILER_BYTES));
    bytes += blob.length;
    const remaining = message.result?.remaining_bytes;
    if (bytes - reported >= PROGRESS_STEP || remaining === undefined || remaining === '0') {
      reported = bytes;
      onEvent?.({
        type: 'etcd.snapshot.progress',
        bytes,
        ...(remaining === undefined ? {} : { remainingBytes: Number(remaining) }),
      });
    }
  };
  try {
    for await (const chunk of response) {
      pending += (chunk as Buffer).toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) await take(line);
    }
    await take(pending);
    if (!response.complete) {
      throw new HakocError(
        'HAKOC_ETCD_UNREACHABLE',
        `etcd at ${options.endpoint} broke off the snapshot after ${bytes} bytes`,
      );
    }
    if (tail.length < TRAILER_BYTES || !database.digest().equals(tail)) {
      throw new HakocError(
        'HAKOC_ETCD_SNAPSHOT_CORRUPT',
        `the snapshot from ${options.endpoint} (${bytes} bytes) does not match the SHA-256 etcd sent with it`,
        { hint: 'take it again; if it keeps failing, check the member (etcdctl endpoint status)' },
      );
    }
    await file.sync();
    await file.close();
    const sha256 = whole.digest('hex');
    const checksumPath = `${out}.sha256`;
    await writeFileAtomic(checksumPath, `${sha256}  ${basename(out)}\n`);
    await rename(part, out);
    onEvent?.({ type: 'etcd.snapshot.done', path: out, bytes, sha256 });
    return { path: out, checksumPath, bytes, sha256 };
  } catch (error) {
    await file.close().catch(() => undefined);
    await rm(part, { force: true });
    if (isHakocError(error)) throw error;
    // A timeout, the signal or a dropped connection while the body streams.
    throw new HakocError(
      'HAKOC_ETCD_UNREACHABLE',
      `the snapshot from ${options.endpoint} broke off after ${bytes} bytes: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error, hint: 'take it again, with a longer --timeout for a large database' },
    );
  }
}
