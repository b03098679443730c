import { error, rule } from './rule.js';

/** A POSIX environment variable name. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The passphrase variable must be a name a shell can set. */
export const passphraseEnv = rule(['keyStore'], ({ keyStore }) =>
  'env' in keyStore.passphrase && !ENV_NAME.test(keyStore.passphrase.env)
    ? [
        error(
          'keyStore.envName',
          ['spec', 'keyStore', 'passphrase', 'env'],
          `"${keyStore.passphrase.env}" is not an environment variable name`,
          'use letters, digits and underscores, not starting with a digit, like HAKOC_PASSPHRASE',
        ),
      ]
    : [],
);
