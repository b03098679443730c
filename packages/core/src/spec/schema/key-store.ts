import * as z from 'zod';
import { customIssue } from './custom-issue.js';

/** Where the key-store passphrase comes from: exactly one source. */
export type PassphraseSource = { env: string } | { file: string } | { prompt: true };

const passphraseSchema = z
  .strictObject({
    env: z.string().optional().describe('Read the passphrase from this environment variable.'),
    file: z.string().min(1).optional().describe('Read the passphrase from this file.'),
    prompt: z.literal(true).optional().describe('Ask for the passphrase on the terminal.'),
  })
  .transform((source, ctx): PassphraseSource => {
    const given = [
      source.env === undefined ? [] : [{ env: source.env }],
      source.file === undefined ? [] : [{ file: source.file }],
      source.prompt === undefined ? [] : [{ prompt: source.prompt }],
    ].flat();
    const [only] = given;
    if (given.length === 1 && only !== undefined) return only;
    ctx.issues.push(
      customIssue(
        'keyStore.passphraseSource',
        given.length === 0
          ? 'no passphrase source is set'
          : 'more than one passphrase source is set',
        'set exactly one of env, file or prompt: true',
      ),
    );
    return z.NEVER;
  })
  .meta({ oneOf: [{ required: ['env'] }, { required: ['file'] }, { required: ['prompt'] }] })
  .prefault({ env: 'HAKOC_PASSPHRASE' })
  .describe('Where the key-store passphrase comes from: exactly one of env, file or prompt.');

/** `spec.keyStore`: the encrypted on-disk store of the cluster's private keys. */
export const keyStoreSchema = z
  .strictObject({
    dir: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Directory of the encrypted key store, relative to the working directory. Defaults to .hakoc/<metadata.name>/pki.',
      ),
    passphrase: passphraseSchema,
  })
  .prefault({})
  .describe('The encrypted store of the cluster private keys, on the operator machine.');

/** The parsed `spec.keyStore` section, before the directory default is filled in. */
export type KeyStoreSectionSpec = z.output<typeof keyStoreSchema>;

/** Where the key store of cluster `name` lives when the spec does not say. */
export function defaultKeyStoreDir(name: string): string {
  return `.hakoc/${name}/pki`;
}
