import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { HakocError } from './errors.js';
import { storeLayout } from './store-layout.js';
import { x509 } from './x509-provider.js';

/** One certificate, or the bootstrap token, in an expiry report. */
export interface ExpiryRow {
  /** Path in the key store, such as `etcd/etcd-0/server.crt` or `bootstrap-token.enc`. */
  readonly path: string;
  /** What expires: a certificate, or the worker bootstrap token. */
  readonly kind: 'certificate' | 'bootstrap-token';
  /** Subject distinguished name, such as `CN=kube-apiserver`; for the token,
   * `bootstrap token <id>`. */
  readonly subject: string;
  /** The certificate's last valid moment. */
  readonly notAfter: Date;
  /** Whole days from now until notAfter; negative once expired. */
  readonly daysLeft: number;
  /** True for the three CAs, which `renewLeaves` does not renew. */
  readonly isCa: boolean;
}

/** Options for {@link checkExpiry}. */
export interface CheckExpiryOptions {
  /** The time to count days from. @default new Date() */
  readonly now?: Date;
}

const dayMs = 24 * 60 * 60 * 1000;

async function certificateFiles(dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (cause) {
    const code = (cause as { code?: unknown }).code;
    if (code === 'ENOENT') {
      throw new HakocError('HAKOC_KEYSTORE_MISSING', `No key store at ${dir}`, {
        cause,
        hint: 'Create one with `hakoc certs init`.',
      });
    }
    throw new HakocError(
      'HAKOC_KEYSTORE_IO',
      code === 'ENOTDIR' ? `${dir} is not a directory` : `Cannot read the key store ${dir}`,
      {
        cause,
        hint:
          code === 'ENOTDIR'
            ? 'Point at the key store folder, not a file in it.'
            : 'Check the folder and its permissions.',
      },
    );
  }
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.crt'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The token's row, from the plaintext side file; none for a store written before it existed
 * (the next `loadOrCreatePki` writes it). */
async function tokenRow(dir: string, now: Date): Promise<ExpiryRow[]> {
  const path = storeLayout.bootstrapTokenExpiry;
  let text: string;
  try {
    text = await readFile(join(dir, path), 'utf8');
  } catch (cause) {
    if ((cause as { code?: unknown }).code === 'ENOENT') return [];
    throw new HakocError('HAKOC_KEYSTORE_IO', `Cannot read ${path} in ${dir}`, { cause });
  }
  let stored: { id?: unknown; expires?: unknown };
  try {
    stored = JSON.parse(text) as { id?: unknown; expires?: unknown };
  } catch (cause) {
    throw new HakocError('HAKOC_KEYSTORE_CORRUPT', `${path} is not JSON`, { cause });
  }
  const expires = typeof stored.expires === 'string' ? new Date(stored.expires) : undefined;
  if (typeof stored.id !== 'string' || expires === undefined || Number.isNaN(expires.getTime())) {
    throw new HakocError('HAKOC_KEYSTORE_CORRUPT', `${path} holds no token id and expiry`, {
      hint: 'Delete it; the next loadOrCreatePki writes it again.',
    });
  }
  return [
    {
      path: storeLayout.bootstrapToken,
      kind: 'bootstrap-token',
      subject: `bootstrap token ${stored.id}`,
      notAfter: expires,
      daysLeft: Math.floor((expires.getTime() - now.getTime()) / dayMs),
      isCa: false,
    },
  ];
}

/**
 * Reports when every certificate in the key store at `dir`, and its bootstrap token, expire,
 * soonest first. Needs no passphrase: certificates are not secret, and the token's expiry sits
 * in a plaintext side file. Throws `HAKOC_KEYSTORE_MISSING` when there is no store,
 * `HAKOC_KEYSTORE_IO` when `dir` is a file or cannot be read, and `HAKOC_KEYSTORE_CORRUPT` for
 * a file that is not a certificate.
 */
export async function checkExpiry(
  dir: string,
  options: CheckExpiryOptions = {},
): Promise<ExpiryRow[]> {
  const now = options.now ?? new Date();
  const files = await certificateFiles(dir);
  const rows = await Promise.all(
    files.map(async (file): Promise<ExpiryRow> => {
      const path = relative(dir, file);
      let certificate: x509.X509Certificate;
      try {
        certificate = new x509.X509Certificate(await readFile(file, 'utf8'));
      } catch (cause) {
        throw new HakocError('HAKOC_KEYSTORE_CORRUPT', `${path} is not a certificate`, { cause });
      }
      const basic = certificate.getExtension(x509.BasicConstraintsExtension);
      return {
        path,
        kind: 'certificate',
        subject: certificate.subject,
        notAfter: certificate.notAfter,
        daysLeft: Math.floor((certificate.notAfter.getTime() - now.getTime()) / dayMs),
        isCa: basic?.ca === true,
      };
    }),
  );
  rows.push(...(await tokenRow(dir, now)));
  return rows.sort(
    (a, b) => a.notAfter.getTime() - b.notAfter.getTime() || a.path.localeCompare(b.path),
  );
}
