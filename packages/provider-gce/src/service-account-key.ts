import { readFile } from 'node:fs/promises';
import type { JWT } from 'google-auth-library';
import { gceFailure } from './gce-errors.js';

/** The OAuth scope that covers Compute Engine and Cloud DNS. */
const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

const SITE = { operation: 'preflight' as const };

function stringOf(value: unknown, key: string): string | undefined {
  const field =
    typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)[key]
      : undefined;
  return typeof field === 'string' && field !== '' ? field : undefined;
}

/**
 * An auth client for a service-account key file (the old `gce_account_file`). Only keys of type
 * `service_account` are taken: google-auth-library would load any credential configuration from
 * a file, including ones that make it fetch tokens from URLs the file names, which is why it
 * deprecated doing so unchecked. Errors name the file, never its contents.
 *
 * @throws ProviderError (`invalid`) when the file cannot be read or is not such a key.
 */
export async function serviceAccountClient(
  auth: { readonly JWT: typeof JWT },
  path: string,
): Promise<JWT> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    const why = error instanceof SyntaxError ? 'is not JSON' : 'cannot be read';
    throw gceFailure(`The service-account key file ${path} ${why}.`, SITE, 'invalid');
  }
  const email = stringOf(parsed, 'client_email');
  const key = stringOf(parsed, 'private_key');
  if (stringOf(parsed, 'type') !== 'service_account' || email === undefined || key === undefined) {
    throw gceFailure(
      `${path} is not a service-account key (type "service_account" with client_email and private_key).`,
      SITE,
      'invalid',
      'Create a key for the service account in the Cloud console (IAM → Service accounts → Keys), or leave credentialsFile out to use Application Default Credentials.',
    );
  }
  const keyId = stringOf(parsed, 'private_key_id');
  return new auth.JWT({
    email,
    key,
    ...(keyId === undefined ? {} : { keyId }),
    scopes: [CLOUD_PLATFORM_SCOPE],
  });
}
