import { type BootstrapToken, createBootstrapToken } from './bootstrap-token.js';
import { type Issuer, issueCertificate } from './certificate.js';
import { createCryptoScheduler } from './crypto-scheduling.js';
import { HakocError } from './errors.js';
import { keyIdentifier } from './key-identifier.js';
import {
  generateKeyPair,
  keyAlgorithmOf,
  privateKeyToPem,
  publicKeyDerOf,
  signingKeyOf,
} from './private-key.js';
import { profileDifferences } from './profile-check.js';
import { type CaId, type CertificateProfile, certificateProfiles } from './profiles.js';
import type { PkiRequest } from './request.js';
import { storeLayout } from './store-layout.js';
import { x509 } from './x509-provider.js';

/** The PKI's raw material: what the key store holds, decrypted, keyed by store path. */
export interface PkiMaterial {
  /** Certificate PEM by id (`apiserver`, `etcd/etcd-0/peer`, …). */
  readonly certificates: ReadonlyMap<string, string>;
  /** Unencrypted PKCS#8 private key PEM by the same id. */
  readonly keys: ReadonlyMap<string, string>;
  /** The service-account signing key (PKCS#8 PEM). */
  readonly serviceAccountKey: string | undefined;
  /** The worker bootstrap token. */
  readonly bootstrapToken: BootstrapToken | undefined;
  /** A rotation's new CAs, by id, from its start until it finishes; absent outside one. */
  readonly incoming?: ReadonlyMap<CaId, CaMaterial>;
  /** The CAs a rotation replaces, by id, once it has switched signing to the new ones. */
  readonly retiring?: ReadonlyMap<CaId, CaMaterial>;
}

/** A CA's certificate and key, as a rotation keeps them beside the live ones. */
export interface CaMaterial {
  /** The CA certificate, PEM. */
  readonly certificate: string;
  /** Its private key, unencrypted PKCS#8 PEM. */
  readonly key: string;
}

/** One thing a load-or-create or renewal run made or changed. */
export interface PkiChange {
  /** Store id without extension, `sa` for the service-account key, `bootstrap-token`. */
  readonly id: string;
  /** `created`: new key and certificate; `completed`: a certificate for a key left without one
   * (an interrupted run); `reissued`: the request changed it; `renewed`: new validity. */
  readonly action: 'created' | 'completed' | 'reissued' | 'renewed';
  /** Why, in a few words. */
  readonly reason: string;
  /**
   * Set when the certificate's notAfter was cut short to its CA's (this date) because the
   * configured validity would have outlived the CA. The CA needs replacing before then.
   */
  readonly cappedAt?: Date;
}

/** Options for {@link reconcilePki}. */
export interface ReconcileOptions {
  readonly now: Date;
  /** Leaves to re-issue with their current key and a fresh validity period. Expired leaves
   * are always re-issued. */
  readonly renew?: (id: string, certificate: x509.X509Certificate) => boolean;
  /** Whether to replace the bootstrap token, given when it expires. An expired or nearly
   * expired token (see {@link tokenNeedsReplacing}) is always replaced. */
  readonly renewToken?: (expires: Date) => boolean;
}

const dayMs = 24 * 60 * 60 * 1000;

/**
 * Whether a bootstrap token must be replaced now: it has expired, or it expires within
 * min(30 days, a third of the configured token lifetime). Workers autoscale, and each new one
 * joins with the token in its boot config, so a token must stay valid between runs of hakoc,
 * not just at the run. The margin is capped at a third of the lifetime so a deliberately
 * short-lived token (a day, say) is not replaced on every run, which would change every
 * worker's boot config each time.
 */
export function tokenNeedsReplacing(expires: Date, now: Date, ttlDays: number): boolean {
  const marginMs = Math.min(30 * dayMs, (ttlDays * dayMs) / 3);
  return expires.getTime() - now.getTime() <= marginMs;
}

/** The result of {@link reconcilePki}: complete material and what changed. */
export interface ReconcileResult {
  readonly material: PkiMaterial & {
    serviceAccountKey: string;
    bootstrapToken: BootstrapToken;
    incoming: ReadonlyMap<CaId, CaMaterial>;
    retiring: ReadonlyMap<CaId, CaMaterial>;
  };
  readonly changes: readonly PkiChange[];
}

function corrupt(message: string, hint = 'Restore the file from a backup.'): HakocError {
  return new HakocError('HAKOC_KEYSTORE_CORRUPT', message, { hint });
}

function parseCertificate(id: string, pem: string): x509.X509Certificate {
  try {
    return new x509.X509Certificate(pem);
  } catch (cause) {
    throw new HakocError('HAKOC_KEYSTORE_CORRUPT', `${id}.crt is not a certificate`, {
      cause,
      hint: 'Restore the file from a backup.',
    });
  }
}

/** A value the reconciliation put in a map itself; absence is a bug here, not a bad store. */
function required<T>(map: ReadonlyMap<string, T>, id: string): T {
  const value = map.get(id);
  if (value === undefined) throw new TypeError(`reconcile: nothing for ${id}`);
  return value;
}

function caExpired(id: string, certificate: x509.X509Certificate): HakocError {
  return new HakocError(
    'HAKOC_PKI_CA_EXPIRED',
    `${id}.crt expired on ${certificate.notAfter.toISOString()}; nothing it signs can be trusted`,
    {
      hint:
        'A CA is never renewed in place. Before a CA expires, rotate it with overlap: ' +
        '`hakoc certs rotate-ca SPEC`, then `--switch`, then `--finish`, an apply after each ' +
        '(`hakoc certs check` shows when each CA expires). Once expired, create a new key store ' +
        '(new CAs, every leaf re-issued) and roll every machine; keep the old store until the ' +
        'new cluster runs.',
    },
  );
}

function keyMatches(certificate: x509.X509Certificate, keyPem: string): boolean {
  return Buffer.from(certificate.publicKey.rawData).equals(publicKeyDerOf(keyPem));
}

/** Whether `issuer` signed `certificate` (name chaining and signature). */
async function signedBy(
  certificate: x509.X509Certificate,
  issuer: x509.X509Certificate,
): Promise<boolean> {
  return (
    certificate.issuer === issuer.subject &&
    (await certificate.verify({ publicKey: issuer.publicKey, signatureOnly: true }))
  );
}

/**
 * Checks a CA a rotation keeps beside the live ones: a CA certificate and the key it certifies.
 * Returns the parsed certificate.
 */
function checkCa(path: string, keyPath: string, ca: CaMaterial): x509.X509Certificate {
  const certificate = parseCertificate(path, ca.certificate);
  const basic = certificate.getExtension(x509.BasicConstraintsExtension);
  if (!keyMatches(certificate, ca.key) || basic?.ca !== true) {
    throw new HakocError(
      'HAKOC_KEYSTORE_FOREIGN_CA',
      `${path} is not the CA certificate of ${keyPath}`,
      {
        hint: `Put back the ${path} the rotation wrote.`,
      },
    );
  }
  return certificate;
}

/**
 * Brings PKI material in line with a request: keeps whatever still fits, issues what is
 * missing, re-issues leaves whose subject, names or usages changed (with their existing key),
 * and checks everything it keeps — a key that does not match its certificate, or a certificate
 * that its CA did not sign, throws before anything is produced. CAs are never re-issued.
 * During a CA rotation (`incoming`, and once switched `retiring`, in the material) it checks
 * the rotation's CAs too, and once switched makes the incoming CA the live one and re-signs
 * what the retiring CA signed.
 * Pure apart from key generation: the key store does the reading and writing.
 */
export async function reconcilePki(
  request: PkiRequest,
  existing: PkiMaterial,
  options: ReconcileOptions,
): Promise<ReconcileResult> {
  const profiles = certificateProfiles(request);
  const certificates = new Map(existing.certificates);
  const keys = new Map(existing.keys);
  const { now } = options;
  const scheduler = createCryptoScheduler();

  const newKey = () =>
    scheduler.generate(async () =>
      privateKeyToPem((await generateKeyPair(request.keyAlgorithm)).privateKey),
    );
  const issue = async (profile: CertificateProfile, keyPem: string, issuer?: Issuer) => {
    const base = {
      publicKey: publicKeyDerOf(keyPem),
      publicKeyIsRsa: keyAlgorithmOf(keyPem)?.startsWith('rsa') === true,
      now,
    };
    const issued = await issueCertificate(
      profile,
      issuer === undefined
        ? { ...base, selfSigning: signingKeyOf(keyPem, `${profile.id}.key`) }
        : { ...base, issuer },
    );
    certificates.set(profile.id, issued.pem);
    return issued.cappedAt;
  };
  /** A change for a leaf issued just now, saying when its notAfter was capped to its CA's. */
  const leafChange = (change: PkiChange, cappedAt: Date | undefined): PkiChange =>
    cappedAt === undefined
      ? change
      : {
          ...change,
          reason: `${change.reason}; valid only until its CA expires, ${cappedAt.toISOString()}`,
          cappedAt,
        };

  const caProfiles = profiles.filter((profile) => profile.kind === 'ca');
  const leafProfiles = profiles.filter((profile) => profile.kind !== 'ca');

  // Check every existing file before making anything, so a broken store fails fast.
  for (const profile of profiles) {
    if (certificates.has(profile.id) && !keys.has(profile.id)) {
      throw corrupt(`${profile.id}.crt exists but ${profile.id}.key is missing`);
    }
  }
  for (const ca of caProfiles) {
    if (certificates.has(ca.id) || keys.has(ca.id)) continue;
    const orphan = leafProfiles.find((leaf) => leaf.issuer === ca.id && certificates.has(leaf.id));
    if (orphan !== undefined) {
      throw corrupt(
        `${ca.id}.crt and ${ca.id}.key are missing but ${orphan.id}.crt, which it signed, exists`,
        `Restore ${ca.id}.crt and ${ca.id}.key, or start a new store.`,
      );
    }
  }

  // A rotation that has switched signing: the incoming CA is the live one. Until the live
  // files are that CA's (the switch, or a crash part-way through it), it is installed again,
  // key before certificate like any CA.
  const incoming = existing.incoming ?? new Map<CaId, CaMaterial>();
  const retiring = existing.retiring ?? new Map<CaId, CaMaterial>();
  const installed: PkiChange[] = [];
  for (const [id, ca] of incoming) {
    checkCa(storeLayout.incomingCertificate(id), storeLayout.incomingKey(id), ca);
    if (!retiring.has(id)) continue;
    if (certificates.get(id) === ca.certificate && keys.get(id) === ca.key) continue;
    certificates.set(id, ca.certificate);
    keys.set(id, ca.key);
    installed.push({ id, action: 'created', reason: 'the rotation switched: the new CA signs' });
  }
  const retiringIssuers = new Map<CaId, x509.X509Certificate>();
  for (const [id, ca] of retiring) {
    const path = storeLayout.retiringCertificate(id);
    retiringIssuers.set(id, checkCa(path, storeLayout.retiringKey(id), ca));
  }

  // Every missing key first, concurrently on the thread pool; then the JavaScript-heavy
  // checking and building, one certificate per event-loop turn (see crypto-scheduling.ts).
  // One Promise.all over every key, the service-account key included: a key made outside it
  // would be left rejected and unhandled when another key failed first.
  const hadKey = new Set(keys.keys());
  const [serviceAccountKey] = await Promise.all([
    existing.serviceAccountKey ?? newKey(),
    ...profiles
      .filter((profile) => !hadKey.has(profile.id))
      .map(async (profile) => keys.set(profile.id, await newKey())),
  ]);

  const caChanges = new Map<string, PkiChange>();
  const issuers = new Map<CaId, Issuer>();
  for (const profile of caProfiles) {
    await scheduler.build(async () => {
      const id = profile.issuer;
      if (!certificates.has(id)) {
        await issue(profile, required(keys, id));
        const existed = hadKey.has(id);
        caChanges.set(id, {
          id,
          action: existed ? 'completed' : 'created',
          reason: existed ? 'certificate missing for existing key' : 'new CA',
        });
      }
      const certificate = parseCertificate(id, required(certificates, id));
      const keyPem = required(keys, id);
      const basic = certificate.getExtension(x509.BasicConstraintsExtension);
      if (!keyMatches(certificate, keyPem) || basic?.ca !== true) {
        throw new HakocError(
          'HAKOC_KEYSTORE_FOREIGN_CA',
          `${id}.crt is not the CA certificate of ${id}.key`,
          { hint: `Put back the ${id}.crt this store was created with.` },
        );
      }
      // An expired CA must not sign anything more, and what it signed no longer verifies.
      if (certificate.notAfter.getTime() <= now.getTime()) throw caExpired(id, certificate);
      issuers.set(id, {
        certificate,
        keyId: keyIdentifier(publicKeyDerOf(keyPem)),
        signing: signingKeyOf(keyPem, `${id}.key`),
      });
    });
  }

  const leafChanges = await Promise.all(
    leafProfiles.map((profile) =>
      scheduler.build(async (): Promise<PkiChange | undefined> => {
        const { id } = profile;
        const issuer = issuers.get(profile.issuer);
        if (issuer === undefined) throw new TypeError(`no issuer ${profile.issuer}`);
        const pem = certificates.get(id);
        if (pem === undefined) {
          const cappedAt = await issue(profile, required(keys, id), issuer);
          return leafChange(
            hadKey.has(id)
              ? { id, action: 'completed', reason: 'certificate missing for existing key' }
              : { id, action: 'created', reason: 'new certificate' },
            cappedAt,
          );
        }
        const certificate = parseCertificate(id, pem);
        const keyPem = required(keys, id);
        if (!keyMatches(certificate, keyPem)) {
          throw corrupt(`${id}.crt does not belong to ${id}.key`);
        }
        const signedByCa = await signedBy(certificate, issuer.certificate);
        const old = retiringIssuers.get(profile.issuer);
        if (!signedByCa && old !== undefined && (await signedBy(certificate, old))) {
          const cappedAt = await issue(profile, keyPem, issuer);
          return leafChange(
            { id, action: 'reissued', reason: 'signed by the retiring CA; now by the new one' },
            cappedAt,
          );
        }
        if (!signedByCa) {
          throw new HakocError(
            'HAKOC_KEYSTORE_FOREIGN_CA',
            `${id}.crt was not signed by this store's ${profile.issuer}.crt`,
            { hint: `Remove ${id}.crt and ${id}.key to issue a new one, or restore the original.` },
          );
        }
        const differences = profileDifferences(profile, certificate);
        if (differences.length > 0) {
          const cappedAt = await issue(profile, keyPem, issuer);
          return leafChange({ id, action: 'reissued', reason: differences.join('; ') }, cappedAt);
        }
        const expired = certificate.notAfter.getTime() <= now.getTime();
        if (expired || options.renew?.(id, certificate) === true) {
          const cappedAt = await issue(profile, keyPem, issuer);
          const until = certificate.notAfter.toISOString();
          return leafChange(
            {
              id,
              action: 'renewed',
              reason: expired ? `expired ${until}` : `was valid until ${until}`,
            },
            cappedAt,
          );
        }
        return undefined;
      }),
    ),
  );

  const changes: PkiChange[] = [
    ...installed,
    ...caProfiles.flatMap((profile) => caChanges.get(profile.id) ?? []),
    ...leafChanges.filter((change): change is PkiChange => change !== undefined),
  ];

  if (existing.serviceAccountKey === undefined) {
    changes.push({ id: 'sa', action: 'created', reason: 'new service-account key pair' });
  }
  let bootstrapToken = existing.bootstrapToken;
  const ttlDays = request.validity.bootstrapTokenDays ?? request.validity.leafDays;
  if (
    bootstrapToken === undefined ||
    tokenNeedsReplacing(bootstrapToken.expires, now, ttlDays) ||
    options.renewToken?.(bootstrapToken.expires) === true
  ) {
    const action = bootstrapToken === undefined ? 'created' : 'renewed';
    const was =
      bootstrapToken === undefined
        ? ''
        : `; was valid until ${bootstrapToken.expires.toISOString()}`;
    bootstrapToken = createBootstrapToken({ ttlDays, now });
    changes.push({ id: 'bootstrap-token', action, reason: `valid ${ttlDays} days${was}` });
  }

  return {
    material: {
      certificates,
      keys,
      serviceAccountKey,
      bootstrapToken,
      incoming,
      retiring,
    },
    changes,
  };
}
