import {
  GCE_NAME_MAX_LENGTH,
  GCE_NAME_PATTERN,
  MAX_CLUSTER_NAME_LENGTH,
  RESOURCE_NAME_SUFFIX_BUDGET,
} from '../../model/names.js';
import type { Diagnostic } from '../diagnostic.js';
import { error, rule } from './rule.js';

/** An RFC 1123 DNS label, lowercase: the part of a domain between dots. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Longest prefix we put before the domain (`etcd-N.`), kept within DNS's 253 characters. */
const LONGEST_DOMAIN_PREFIX = 'etcd-9.'.length;

/** The cluster name must be a GCE name with room for every suffix hakoc appends. */
export const clusterName = rule(['metadata'], ({ metadata }) => {
  const path = ['metadata', 'name'];
  const { name } = metadata;
  const problems: Diagnostic[] = [];
  if (!GCE_NAME_PATTERN.test(name)) {
    const lowered = name.toLowerCase().replace(/[^-a-z0-9]/g, '-');
    problems.push(
      error(
        'name.invalid',
        path,
        `"${name}" is not a valid cluster name`,
        `use lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen${GCE_NAME_PATTERN.test(lowered) ? `, for example "${lowered}"` : ''}`,
      ),
    );
  }
  if (name.length > MAX_CLUSTER_NAME_LENGTH) {
    problems.push(
      error(
        'name.tooLong',
        path,
        `the cluster name has ${name.length} characters, more than ${MAX_CLUSTER_NAME_LENGTH}`,
        `cloud resource names are the cluster name plus a suffix of up to ${RESOURCE_NAME_SUFFIX_BUDGET} characters, and GCE allows ${GCE_NAME_MAX_LENGTH}`,
      ),
    );
  }
  return problems;
});

/** Checks a DNS name: RFC 1123 labels, lowercase, at least `minLabels` of them. */
export function checkDomain(
  domain: string,
  path: readonly (string | number)[],
  minLabels: number,
  maxLength: number,
): Diagnostic[] {
  const labels = domain.split('.');
  const bad = labels.find((label) => !DNS_LABEL.test(label));
  if (bad !== undefined) {
    return [
      error(
        'domain.invalid',
        path,
        bad === ''
          ? `"${domain}" has an empty label`
          : `"${bad}" is not a valid DNS label in "${domain}"`,
        'labels are 1 to 63 lowercase letters, digits and hyphens, not starting or ending with a hyphen',
      ),
    ];
  }
  if (labels.length < minLabels) {
    return [
      error(
        'domain.invalid',
        path,
        `"${domain}" has ${labels.length} label${labels.length === 1 ? '' : 's'}, needs at least ${minLabels}`,
        'use a domain you control, for example k8s.example.com',
      ),
    ];
  }
  if (domain.length > maxLength) {
    return [error('domain.invalid', path, `"${domain}" is longer than ${maxLength} characters`)];
  }
  return [];
}

/** `spec.domain` names the API and etcd endpoints, so it must be a real multi-label domain. */
export const clusterDomainName = rule(['domain'], ({ domain }) =>
  checkDomain(domain, ['spec', 'domain'], 2, 253 - LONGEST_DOMAIN_PREFIX),
);
