import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { HakocError } from './errors.js';
import { x509 } from './x509-provider.js';

/** One certificate in an expiry report. */
export interface ExpiryRow {
  /** Path in the key store, such as `etcd/etcd-0/server.crt`. */
  readonly path: string;
  /** Subject distinguished name, such as `CN=kube-apiserver`. */
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
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.crt'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Reports when every certificate in the key store at `dir` expires, soonest first. Needs no
 * passphrase: certificates are not secret. Throws `HAKOC_KEYSTORE_MISSING` when there is no
 * store and `HAKOC_KEYSTORE_CORRUPT` for a file that is not a certificate.
 */
export async function checkExpiry(
  dir: string,
  options: CheckExpiryOptions = {},
): Promise<ExpiryRow[]> {
  const now = options.now ?? new Date();
  let files: string[];
  try {
    files = await certificateFiles(dir);
  } catch (cause) {
    throw new HakocError('HAKOC_KEYSTORE_MISSING', `No key store at ${dir}`, {
      cause,
      hint: 'Create one with `hakoc certs init`.',
    });
  }
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
        subject: certificate.subject,
        notAfter: certificate.notAfter,
        daysLeft: Math.floor((certificate.notAfter.getTime() - now.getTime()) / dayMs),
        isCa: basic?.ca === true,
      };
    }),
  );
  return rows.sort(
    (a, b) => a.notAfter.getTime() - b.notAfter.getTime() || a.path.localeCompare(b.path),
  );
}
