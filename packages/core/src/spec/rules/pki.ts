import type { Diagnostic } from '../diagnostic.js';
import { error, rule } from './rule.js';

/** A certificate cannot usefully outlive the CA that signed it. */
export const pkiValidity = rule(['pki'], ({ pki }) => {
  const problems: Diagnostic[] = [];
  for (const field of ['leafValidityDays', 'etcdCertValidityDays'] as const) {
    if (pki[field] <= pki.caValidityDays) continue;
    problems.push(
      error(
        'pki.outlivesCa',
        ['spec', 'pki', field],
        `${field} (${pki[field]}) is longer than caValidityDays (${pki.caValidityDays})`,
        'certificates stop verifying when their CA expires; make it at most caValidityDays',
      ),
    );
  }
  return problems;
});
