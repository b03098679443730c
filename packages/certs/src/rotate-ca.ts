import { defaultCaRotationOverlapMs, rotatableCas } from './ca-rotation.js';
import { type KeyStoreOptions, type KeyStoreResult, syncKeyStore } from './key-store.js';
import type { CaId } from './profiles.js';
import type { PkiRequest } from './request.js';

/** Options for {@link startCaRotation}. */
export interface StartCaRotationOptions extends KeyStoreOptions {
  /** The CAs to replace. @default every CA: `ca`, `etcd/ca` and `front-proxy-ca` */
  readonly cas?: readonly CaId[];
  /**
   * How long each phase lasts at least before the next step goes ahead without `force`, in
   * milliseconds. @default 86400000 (a day; see `defaultCaRotationOverlapMs`)
   */
  readonly overlapMs?: number;
}

/** Options for {@link switchCaRotation} and {@link finishCaRotation}. */
export interface CaRotationStepOptions extends KeyStoreOptions {
  /** Go ahead even though the phase has not lasted the rotation's overlap yet. @default false */
  readonly force?: boolean;
}

// The default of `cas`: every CA a rotation can replace.
const everyCa: readonly CaId[] = Object.values(rotatableCas);

/**
 * Starts replacing CAs: the first of three steps, each followed by an apply.
 *
 * Why three: machines roll one at a time, so during each apply a rolled machine talks to ones
 * that have not rolled, both ways. A certificate of a new CA may only appear once every
 * machine trusts that CA, and an old CA may only be dropped once no machine presents its
 * certificates. (A bridge — the new CA certified by the old one — cannot shortcut this: the
 * CAs are issued with path length 0, so nothing trusting an old CA accepts a CA below it.)
 *
 * 1. **start** (this): for each CA in `cas` a new CA (the request's key algorithm and CA
 *    validity) is made and kept in the store as incoming; every trust bundle
 *    ({@link ClusterPki.trustBundles}: the CA files on machines, the kubeconfigs, the
 *    bootstrap kubeconfig) holds old + new. The old CAs still sign.
 * 2. **switch** ({@link switchCaRotation}): the new CAs sign, every leaf is re-signed by them.
 * 3. **finish** ({@link finishCaRotation}): the old CAs leave the bundles and the store.
 *
 * Refuses with `HAKOC_CA_ROTATION_IN_PROGRESS` while another rotation runs and
 * `HAKOC_CA_ROTATION_NO_CA` on a store without the CA. Checks the whole store before it writes
 * anything; the record goes last, so a crash part-way leaves the store as it was.
 */
export function startCaRotation(
  dir: string,
  request: PkiRequest,
  options: StartCaRotationOptions,
): Promise<KeyStoreResult> {
  const overlapMs = options.overlapMs ?? defaultCaRotationOverlapMs;
  if (!Number.isFinite(overlapMs) || overlapMs < 0) {
    throw new TypeError(`overlapMs must be a duration ≥ 0, not ${overlapMs}`);
  }
  const cas = options.cas ?? everyCa;
  if (cas.length === 0) throw new TypeError('cas must name at least one CA');
  return syncKeyStore(dir, request, options, {}, { kind: 'start', cas, overlapMs });
}

/**
 * The second step of a CA rotation (see {@link startCaRotation}): the new CAs become the live
 * ones and sign; every leaf they are to sign is re-signed with its key kept; the old CAs stay
 * in the bundles as retiring. Run it once the apply after the start has rolled every machine.
 *
 * Refuses with `HAKOC_CA_ROTATION_NONE` without a rotation, `HAKOC_CA_ROTATION_PHASE` when
 * it has switched already, and `HAKOC_CA_ROTATION_OVERLAP` before the start's overlap has
 * passed, unless `force`. A crash part-way leaves a store the next run completes the switch in.
 */
export function switchCaRotation(
  dir: string,
  request: PkiRequest,
  options: CaRotationStepOptions,
): Promise<KeyStoreResult> {
  return syncKeyStore(dir, request, options, {}, { kind: 'switch', force: options.force === true });
}

/**
 * The last step of a CA rotation (see {@link startCaRotation}): the old CAs leave the trust
 * bundles and the store, their keys deleted. Run it once the apply after the switch has rolled
 * every machine; the apply after it rolls them again, and from then on a certificate of an old
 * CA is refused everywhere.
 *
 * Refuses with `HAKOC_CA_ROTATION_NONE` without a rotation, `HAKOC_CA_ROTATION_PHASE` before
 * the switch, and `HAKOC_CA_ROTATION_OVERLAP` before the switch's overlap has passed, unless
 * `force`. The record goes first, the old CAs after it, so a crash in between leaves a
 * finished rotation whose leftovers the next run removes.
 */
export function finishCaRotation(
  dir: string,
  request: PkiRequest,
  options: CaRotationStepOptions,
): Promise<KeyStoreResult> {
  return syncKeyStore(dir, request, options, {}, { kind: 'finish', force: options.force === true });
}
