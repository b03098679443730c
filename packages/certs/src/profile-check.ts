import { extendedUsagesOf, subjectName } from './certificate.js';
import { canonicalIp } from './ip-address.js';
import type { CertificateProfile } from './profiles.js';
import { x509 } from './x509-provider.js';

function setDifference(label: string, want: readonly string[], have: readonly string[]): string[] {
  const wanted = new Set(want);
  const had = new Set(have);
  const added = [...wanted].filter((value) => !had.has(value));
  const removed = [...had].filter((value) => !wanted.has(value));
  if (added.length === 0 && removed.length === 0) return [];
  const parts = [...added.map((v) => `+${v}`), ...removed.map((v) => `-${v}`)];
  return [`${label} ${parts.join(' ')}`];
}

/**
 * How an existing certificate differs from what `profile` asks for, as short human-readable
 * reasons; empty when it still fits. Validity dates are not compared: a longer configured
 * validity takes effect at the next renewal, it does not re-issue everything.
 */
export function profileDifferences(
  profile: CertificateProfile,
  certificate: x509.X509Certificate,
): string[] {
  const reasons: string[] = [];
  const wantSubject = subjectName(profile).toString();
  if (certificate.subject !== wantSubject) {
    reasons.push(`subject ${certificate.subject} → ${wantSubject}`);
  }
  const san = certificate.getExtension(x509.SubjectAlternativeNameExtension);
  const items = san?.names.items ?? [];
  reasons.push(
    ...setDifference(
      'DNS names',
      profile.dnsNames,
      items.filter((item) => item.type === 'dns').map((item) => item.value),
    ),
    ...setDifference(
      'IP addresses',
      profile.ipAddresses,
      items.filter((item) => item.type === 'ip').map((item) => canonicalIp(item.value)),
    ),
  );
  const eku = certificate.getExtension(x509.ExtendedKeyUsageExtension);
  reasons.push(
    ...setDifference(
      'extended key usages',
      extendedUsagesOf(profile.kind),
      (eku?.usages ?? []).map(String),
    ),
  );
  return reasons;
}
