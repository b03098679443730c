import * as z from 'zod';
import { customIssue } from './custom-issue.js';

/** Read the key-store passphrase from an environment variable. */
export interface PassphraseFromEnv {
  /** The variable's name. */
  env: string;
}

/** Read the key-store passphrase from a file. */
export interface PassphraseFromFile {
  /** The file's path. */
  file: string;
}

/** Ask for the key-store passphrase on the terminal. */
export interface PassphrasePrompt {
  /** Always `true`. */
  prompt: true;
}

/** Where the key-store passphrase comes from: exactly one source. */
export type PassphraseSource = PassphraseFromEnv | PassphraseFromFile | PassphrasePrompt;

/** `spec.keyStore`: the encrypted on-disk store of the cluster's private keys. */
export interface KeyStoreSpec {
  /**
   * Directory of the encrypted key store, relative to the working directory.
   * @default '.hakoc/<metadata.name>/pki'
   */
  dir: string;
  /**
   * Where the passphrase comes from.
   * @default { env: 'HAKOC_PASSPHRASE' }
   */
  passphrase: PassphraseSource;
}

const passphraseSchema = z
  .strictObject({
    env: z.string().exactOptional().describe('Read the passphrase from this environment variable.'),
    file: z.string().min(1).exactOptional().describe('Read the passphrase from this file.'),
    prompt: z.literal(true).exactOptional().describe('Ask for the passphrase on the terminal.'),
  })
  .transform((source, ctx): PassphraseSource => {
    const given = [
      source.env === undefined ? [] : [{ env: source.env }],
      source.file === undefined ? [] : [{ file: source.file }],
      source.prompt === undefined ? [] : [{ prompt: source.prompt }],
    ].flat();
    const [only] = given;
    if (given.length === 1 && only !== undefined) return only;
    // A misspelt source ({ envv: X }) is already reported as an unknown field with a "did you
    // mean"; "no passphrase source is set" beside it would only repeat the same mistake.
    if (given.length === 0 && ctx.issues.some((issue) => issue.code === 'unrecognized_keys')) {
      return z.NEVER;
    }
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

/**
 * `spec.keyStore` on its own. Its directory default needs the cluster name, so the document
 * schema fills it in; this section leaves `dir` optional.
 */
export const keyStoreSchema = z
  .strictObject({
    dir: z
      .string()
      .min(1)
      .exactOptional()
      .describe(
        'Directory of the encrypted key store, relative to the working directory. Defaults to .hakoc/<metadata.name>/pki.',
      ),
    passphrase: passphraseSchema,
  })
  .prefault({})
  .describe('The encrypted store of the cluster private keys, on the operator machine.');

/** Where the key store of cluster `name` lives when the spec does not say. */
export function defaultKeyStoreDir(name: string): string {
  return `.hakoc/${name}/pki`;
}
