import { createHash, createPublicKey } from 'node:crypto';

/**
 * The key identifier of a public key (RFC 5280 §4.2.1.2, method 1): SHA-1 of the
 * subjectPublicKey bits — the uncompressed EC point, or the PKCS#1 RSAPublicKey. SHA-1 serves
 * only as a name here, not for security. Computed with `node:crypto` in microseconds, where
 * `@peculiar/x509`'s own `create()` parses the key in JavaScript and round-trips through
 * WebCrypto for every certificate.
 */
export function keyIdentifier(spkiDer: Uint8Array): string {
  const key = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
  let bits: Buffer;
  if (key.asymmetricKeyType === 'rsa') {
    bits = key.export({ type: 'pkcs1', format: 'der' });
  } else {
    const { x, y } = key.export({ format: 'jwk' });
    bits = Buffer.concat([
      Buffer.from([0x04]),
      Buffer.from(x ?? '', 'base64url'),
      Buffer.from(y ?? '', 'base64url'),
    ]);
  }
  return createHash('sha1').update(bits).digest('hex');
}
