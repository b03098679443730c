import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { HakocError, type PassphraseSource } from '@hakoc/core';
import type { CliIo } from './cli-io.js';

/** Reads the key-store passphrase from the source the spec names (`spec.keyStore.passphrase`). */
export async function resolvePassphrase(source: PassphraseSource, io: CliIo): Promise<string> {
  if ('env' in source) {
    const value = io.env[source.env];
    if (!value) {
      throw new HakocError('HAKOC_PASSPHRASE_MISSING', `${source.env} is not set`, {
        hint: `export ${source.env}=… with the key-store passphrase (at least 8 characters)`,
      });
    }
    return value;
  }
  if ('file' in source) {
    try {
      return (await readFile(resolve(io.cwd, source.file), 'utf8')).replace(/\r?\n$/, '');
    } catch (cause) {
      throw new HakocError('HAKOC_PASSPHRASE_MISSING', `cannot read ${source.file}`, {
        cause,
        hint: 'check spec.keyStore.passphrase.file and its permissions',
      });
    }
  }
  if (!io.readSecret) {
    throw new HakocError('HAKOC_PASSPHRASE_MISSING', 'no terminal to ask for the passphrase on', {
      hint: 'set spec.keyStore.passphrase to { env: NAME } or { file: PATH } for pipelines',
    });
  }
  return io.readSecret('Key-store passphrase:');
}
