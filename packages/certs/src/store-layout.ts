/**
 * File names in the key store. Certificates follow kubeadm's `/etc/kubernetes/pki` layout
 * (`ca.crt`, `etcd/ca.crt`, `front-proxy-ca.crt`, `apiserver.crt`, `sa.key`, `sa.pub`, …);
 * per-member etcd certificates sit in `etcd/<member>/`, kubeconfig users' client
 * certificates in `kubeconfig/` (kubeconfigs themselves are rendered, never stored, because
 * they would hold an unencrypted key).
 */
export const storeLayout = {
  /** A certificate's file: `apiserver` → `apiserver.crt`. */
  certificate: (id: string): string => `${id}.crt`,
  /** Its encrypted key's file: `apiserver` → `apiserver.key`. */
  key: (id: string): string => `${id}.key`,
  /** The service-account signing key, encrypted. */
  serviceAccountKey: 'sa.key',
  /** The service-account public key, plain. */
  serviceAccountPublicKey: 'sa.pub',
  /**
   * The worker bootstrap token, sealed with the passphrase. It is also the store's passphrase
   * check: AES-GCM tells a wrong passphrase from a right one, so it is opened before any key.
   */
  bootstrapToken: 'bootstrap-token.enc',
  /**
   * The token's public id and expiry in plain JSON, so `checkExpiry` reports the token without
   * the passphrase. Neither is secret: the id names the token's Secret object in the cluster.
   */
  bootstrapTokenExpiry: 'bootstrap-token.expires',
  /** Held (by `proper-lockfile`) while a run reads and writes the store. */
  lock: '.lock',
} as const;
