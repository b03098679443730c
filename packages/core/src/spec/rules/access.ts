import type { Diagnostic } from '../diagnostic.js';
import { checkCidr, isRange } from './cidr-check.js';
import { rule } from './rule.js';

/** Firewall source ranges must be valid IPv4 CIDRs. */
export const accessRanges = rule(['access'], ({ access }) => {
  const problems: Diagnostic[] = [];
  for (const field of ['apiSourceRanges', 'sshSourceRanges'] as const) {
    access[field].forEach((text, index) => {
      const checked = checkCidr(text, ['spec', 'access', field, index]);
      if (!isRange(checked)) problems.push(checked);
    });
  }
  return problems;
});
