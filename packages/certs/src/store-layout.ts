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
  /**
   * A CA rotation in progress (plain JSON: which CAs, its phase, since when, from when it may
   * take its next step). Its presence is what makes the files under {@link
   * storeLayout.incomingDir} and {@link storeLayout.retiringDir} count: each step writes it
   * after the files it needs and a finish removes it before them, so a crash in between leaves
   * a store in the state before the step or after it (see `ca-rotation.ts`).
   */
  caRotation: 'ca-rotation.json',
  /** Where a rotation keeps its new CAs until it finishes, in the store's layout. */
  incomingDir: 'incoming',
  /** A new CA's certificate: `etcd/ca` → `incoming/etcd/ca.crt`. */
  incomingCertificate: (id: string): string => `incoming/${id}.crt`,
  /** A new CA's encrypted key. */
  incomingKey: (id: string): string => `incoming/${id}.key`,
  /** Where a rotation keeps the CAs it replaces once the new ones sign. */
  retiringDir: 'retiring',
  /** A retiring CA's certificate: `etcd/ca` → `retiring/etcd/ca.crt`. */
  retiringCertificate: (id: string): string => `retiring/${id}.crt`,
  /** A retiring CA's encrypted key, deleted when the rotation finishes. */
  retiringKey: (id: string): string => `retiring/${id}.key`,
  /** Held (by `proper-lockfile`) while a run reads and writes the store. */
  lock: '.lock',
} as const;
