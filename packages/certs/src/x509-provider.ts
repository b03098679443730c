/**
 * The one place that wires `@peculiar/x509` to Node's native WebCrypto.
 *
 * `@peculiar/x509` decorates its ASN.1 schema classes, so it needs the Reflect metadata
 * polyfill loaded once before its first use. It also needs a WebCrypto implementation: we
 * hand it Node's own `globalThis.crypto` (OpenSSL underneath, key generation and signing on
 * libuv's thread pool) rather than `@peculiar/webcrypto`, which computes in JavaScript on the
 * event loop and stalled it for seconds on RSA. Native WebCrypto lacks nothing we use here;
 * the one thing it cannot do — write passphrase-encrypted PKCS#8 — is done in `pbes2.ts` and
 * `private-key.ts` with `node:crypto`.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(globalThis.crypto);

export { x509 };
