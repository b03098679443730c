import { keyIdentifier } from './key-identifier.js';
import type { SigningKey } from './private-key.js';
import type { CertificateProfile } from './profiles.js';
import { x509 } from './x509-provider.js';

/** How far notBefore is backdated, so a machine whose clock runs a little behind accepts it. */
const clockSkewMs = 5 * 60 * 1000;
const dayMs = 24 * 60 * 60 * 1000;

/** The CA that signs a leaf: its certificate, its key identifier and its private key. */
export interface Issuer {
  readonly certificate: x509.X509Certificate;
  /** Hex key identifier of the CA's public key, for the leaves' authorityKeyIdentifier. */
  readonly keyId: string;
  readonly signing: SigningKey;
}

/** What {@link issueCertificate} needs besides the profile. */
export interface IssueInput {
  /** DER SubjectPublicKeyInfo of the key being certified. */
  readonly publicKey: Uint8Array;
  /** Whether that key is RSA, which adds keyEncipherment (RSA key exchange) to its usages. */
  readonly publicKeyIsRsa: boolean;
  /** The issuing CA; absent for a self-signed CA, which then signs with `selfSigning`. */
  readonly issuer?: Issuer;
  /** The CA's own key, when the profile is a CA signing itself. */
  readonly selfSigning?: SigningKey;
  /** The issue time; notBefore is backdated from it for clock skew. */
  readonly now: Date;
}

/**
 * A random positive 128-bit serial number (RFC 5280 wants at most 20 octets, positive, and
 * CA/B Forum at least 64 random bits). The top bit is cleared so DER needs no sign byte, the
 * next is set so the encoding is always exactly 16 octets.
 */
function randomSerial(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x40;
  return Buffer.from(bytes).toString('hex');
}

/** The subject distinguished name of a profile: one O= per organisation, then CN=. */
export function subjectName(profile: CertificateProfile): x509.Name {
  return new x509.Name([
    ...profile.organizations.map((organization) => ({ O: [organization] })),
    { CN: [profile.commonName] },
  ]);
}

const extendedUsages: Record<CertificateProfile['kind'], string[]> = {
  ca: [],
  server: [x509.ExtendedKeyUsage.serverAuth],
  client: [x509.ExtendedKeyUsage.clientAuth],
  peer: [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth],
};

/** The extended key usages a certificate kind carries. */
export function extendedUsagesOf(kind: CertificateProfile['kind']): readonly string[] {
  return extendedUsages[kind];
}

/** A certificate {@link issueCertificate} made. */
export interface IssuedCertificate {
  /** The certificate, PEM. */
  readonly pem: string;
  /** Set when the profile's validity would have outlived the issuing CA: the CA's notAfter,
   * which the certificate's notAfter was cut to. */
  readonly cappedAt?: Date;
}

/**
 * Issues (signs) one certificate for `profile`. A leaf never outlives its CA: clients reject a
 * chain once the CA has expired, so days beyond it would only mislead expiry reports.
 */
export async function issueCertificate(
  profile: CertificateProfile,
  input: IssueInput,
): Promise<IssuedCertificate> {
  const isCa = profile.kind === 'ca';
  const signing = input.issuer?.signing ?? input.selfSigning;
  if (signing === undefined) throw new TypeError(`no signing key for ${profile.id}`);
  const subject = subjectName(profile);
  const subjectKeyId = keyIdentifier(input.publicKey);

  const usages = isCa
    ? x509.KeyUsageFlags.keyCertSign |
      x509.KeyUsageFlags.cRLSign |
      x509.KeyUsageFlags.digitalSignature
    : x509.KeyUsageFlags.digitalSignature |
      (input.publicKeyIsRsa ? x509.KeyUsageFlags.keyEncipherment : 0);
  const extensions: x509.Extension[] = [
    // pathLen 0: our CAs sign leaves only, never another CA.
    new x509.BasicConstraintsExtension(isCa, isCa ? 0 : undefined, true),
    new x509.KeyUsagesExtension(usages, true),
    new x509.SubjectKeyIdentifierExtension(subjectKeyId),
    new x509.AuthorityKeyIdentifierExtension(input.issuer?.keyId ?? subjectKeyId),
  ];
  if (!isCa) extensions.push(new x509.ExtendedKeyUsageExtension(extendedUsages[profile.kind]));
  const names = [
    ...profile.dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...profile.ipAddresses.map((value) => ({ type: 'ip' as const, value })),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names));

  const wanted = new Date(input.now.getTime() + profile.validityDays * dayMs);
  const issuerNotAfter = input.issuer?.certificate.notAfter;
  const capped = issuerNotAfter !== undefined && issuerNotAfter < wanted;
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject,
    issuer: input.issuer?.certificate.subjectName ?? subject,
    notBefore: new Date(input.now.getTime() - clockSkewMs),
    notAfter: capped ? issuerNotAfter : wanted,
    publicKey: input.publicKey,
    signingKey: signing.key,
    signingAlgorithm: signing.signature,
    extensions,
  });
  const pem = certificate.toString('pem');
  return capped ? { pem, cappedAt: issuerNotAfter } : { pem };
}
