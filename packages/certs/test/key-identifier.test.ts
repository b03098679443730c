import { describe, expect, it } from 'vitest';
import { keyIdentifier } from '../src/key-identifier.js';
import { generateKeyPair } from '../src/private-key.js';
import { x509 } from '../src/x509-provider.js';

describe('keyIdentifier', () => {
  it.each(['ecdsa-p256', 'rsa-2048'] as const)(
    'matches @peculiar/x509 (RFC 5280 method 1) for %s',
    async (algorithm) => {
      const pair = await generateKeyPair(algorithm);
      const spki = new Uint8Array(await globalThis.crypto.subtle.exportKey('spki', pair.publicKey));
      const reference = await x509.SubjectKeyIdentifierExtension.create(spki);
      expect(keyIdentifier(spki)).toBe(reference.keyId);
    },
  );
});
