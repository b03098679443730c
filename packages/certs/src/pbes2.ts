import { EncryptedData, EncryptedPrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import {
  AsnConvert,
  AsnProp,
  AsnPropTypes,
  AsnType,
  AsnTypeTypes,
  OctetString,
} from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';

/**
 * The PKCS#8 `EncryptedPrivateKeyInfo` container with PBES2 (RFC 8018): PBKDF2 derives an
 * AES-256-CBC key from the passphrase. This is the one encrypted-key format `openssl pkey
 * -passin`, kubeadm and Node all read. Node's `KeyObject.export({ cipher, passphrase })` writes
 * it too, but with a fixed 2048 PBKDF2 iterations, far below OWASP's 600,000 (2023) for
 * PBKDF2-HMAC-SHA256, and no way to raise it — so the container is written here.
 */

const oid = {
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacWithSha1: '1.2.840.113549.2.7',
  hmacWithSha256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
} as const;

// The schema classes are declared without decorator syntax (this repository compiles with
// standard decorators, @peculiar's are the legacy kind), so each decorator is applied by hand.

/** `PBKDF2-params ::= SEQUENCE { salt OCTET STRING, iterationCount INTEGER, keyLength INTEGER
 * OPTIONAL, prf AlgorithmIdentifier DEFAULT hmacWithSHA1 }` */
class Pbkdf2Params {
  salt = new ArrayBuffer(0);
  iterationCount = 0;
  keyLength?: number;
  prf?: AlgorithmIdentifier;
}
AsnType({ type: AsnTypeTypes.Sequence })(Pbkdf2Params);
AsnProp({ type: AsnPropTypes.OctetString })(Pbkdf2Params.prototype, 'salt');
AsnProp({ type: AsnPropTypes.Integer })(Pbkdf2Params.prototype, 'iterationCount');
AsnProp({ type: AsnPropTypes.Integer, optional: true })(Pbkdf2Params.prototype, 'keyLength');
AsnProp({ type: AlgorithmIdentifier, optional: true })(Pbkdf2Params.prototype, 'prf');

/** `PBES2-params ::= SEQUENCE { keyDerivationFunc AlgorithmIdentifier, encryptionScheme
 * AlgorithmIdentifier }` */
class Pbes2Params {
  keyDerivationFunc = new AlgorithmIdentifier();
  encryptionScheme = new AlgorithmIdentifier();
}
AsnType({ type: AsnTypeTypes.Sequence })(Pbes2Params);
AsnProp({ type: AlgorithmIdentifier })(Pbes2Params.prototype, 'keyDerivationFunc');
AsnProp({ type: AlgorithmIdentifier })(Pbes2Params.prototype, 'encryptionScheme');

/** The PBKDF2 hash functions this package derives keys with (SHA-1 only to read old files). */
export type Pbkdf2Digest = 'sha256' | 'sha1';

/** The parameters of a PBES2 + PBKDF2 + AES-256-CBC encrypted key, and its ciphertext. */
export interface Pbes2Envelope {
  /** PBKDF2 salt. */
  readonly salt: Buffer;
  /** PBKDF2 iteration count. */
  readonly iterations: number;
  /** PBKDF2's pseudo-random function. */
  readonly digest: Pbkdf2Digest;
  /** The AES-256-CBC initialisation vector (16 bytes). */
  readonly iv: Buffer;
  /** The encrypted DER `PrivateKeyInfo`. */
  readonly ciphertext: Buffer;
}

/** A copy of the bytes in an ArrayBuffer of their own (a Buffer may share a larger one). */
const bufferOf = (bytes: Uint8Array): ArrayBuffer => new Uint8Array(bytes).buffer;

const header = '-----BEGIN ENCRYPTED PRIVATE KEY-----';
const footer = '-----END ENCRYPTED PRIVATE KEY-----';

/** Wraps an envelope in DER `EncryptedPrivateKeyInfo` and PEM. */
export function encodePbes2(envelope: Pbes2Envelope): string {
  const kdf = new Pbkdf2Params();
  kdf.salt = bufferOf(envelope.salt);
  kdf.iterationCount = envelope.iterations;
  kdf.keyLength = 32;
  kdf.prf = new AlgorithmIdentifier({
    algorithm: envelope.digest === 'sha256' ? oid.hmacWithSha256 : oid.hmacWithSha1,
    parameters: null,
  });
  const params = new Pbes2Params();
  params.keyDerivationFunc = new AlgorithmIdentifier({
    algorithm: oid.pbkdf2,
    parameters: AsnConvert.serialize(kdf),
  });
  params.encryptionScheme = new AlgorithmIdentifier({
    algorithm: oid.aes256Cbc,
    parameters: AsnConvert.serialize(new OctetString(envelope.iv)),
  });
  const info = new EncryptedPrivateKeyInfo({
    encryptionAlgorithm: new AlgorithmIdentifier({
      algorithm: oid.pbes2,
      parameters: AsnConvert.serialize(params),
    }),
    encryptedData: new EncryptedData(envelope.ciphertext),
  });
  const base64 = Buffer.from(AsnConvert.serialize(info)).toString('base64');
  return `${header}\n${base64.replace(/.{1,64}/g, '$&\n')}${footer}\n`;
}

/** What {@link decodePbes2} found in an encrypted key file. */
export type DecodedEncryptedKey =
  | {
      /** PBES2 with PBKDF2 (HMAC-SHA-256 or -SHA-1) and AES-256-CBC: decrypted here. */
      readonly scheme: 'pbes2-aes-256-cbc';
      /** Its parameters and ciphertext. */
      readonly envelope: Pbes2Envelope;
    }
  | {
      /** A well-formed `EncryptedPrivateKeyInfo` with another scheme: left to OpenSSL. */
      readonly scheme: 'other';
    };

/**
 * Parses a PEM `ENCRYPTED PRIVATE KEY` block. Returns undefined when the text is not one (no
 * PEM block, bad base64, or DER that is not an `EncryptedPrivateKeyInfo`): that file is
 * corrupt, whatever the passphrase.
 */
export function decodePbes2(pem: string): DecodedEncryptedKey | undefined {
  const match =
    /-----BEGIN ENCRYPTED PRIVATE KEY-----([A-Za-z0-9+/=\s]+)-----END ENCRYPTED PRIVATE KEY-----/.exec(
      pem,
    );
  if (match?.[1] === undefined) return undefined;
  let info: EncryptedPrivateKeyInfo;
  try {
    info = AsnConvert.parse(
      Buffer.from(match[1].replace(/\s+/g, ''), 'base64'),
      EncryptedPrivateKeyInfo,
    );
  } catch {
    return undefined;
  }
  if (info.encryptedData.byteLength === 0) return undefined;
  try {
    const algorithm = info.encryptionAlgorithm;
    if (algorithm.algorithm !== oid.pbes2 || !algorithm.parameters) return { scheme: 'other' };
    const params = AsnConvert.parse(algorithm.parameters, Pbes2Params);
    const kdf = params.keyDerivationFunc;
    const cipher = params.encryptionScheme;
    if (kdf.algorithm !== oid.pbkdf2 || !kdf.parameters) return { scheme: 'other' };
    if (cipher.algorithm !== oid.aes256Cbc || !cipher.parameters) return { scheme: 'other' };
    const pbkdf2 = AsnConvert.parse(kdf.parameters, Pbkdf2Params);
    const prf = pbkdf2.prf?.algorithm ?? oid.hmacWithSha1;
    if (prf !== oid.hmacWithSha256 && prf !== oid.hmacWithSha1) return { scheme: 'other' };
    if (pbkdf2.keyLength !== undefined && pbkdf2.keyLength !== 32) return { scheme: 'other' };
    const iv = Buffer.from(AsnConvert.parse(cipher.parameters, OctetString).buffer);
    if (iv.length !== 16 || pbkdf2.iterationCount < 1) return { scheme: 'other' };
    return {
      scheme: 'pbes2-aes-256-cbc',
      envelope: {
        salt: Buffer.from(pbkdf2.salt),
        iterations: pbkdf2.iterationCount,
        digest: prf === oid.hmacWithSha256 ? 'sha256' : 'sha1',
        iv,
        ciphertext: Buffer.from(info.encryptedData.buffer),
      },
    };
  } catch {
    // Parameters we cannot parse: OpenSSL may know the scheme, so it gets to try.
    return { scheme: 'other' };
  }
}
