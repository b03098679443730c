import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HakocError } from './errors.js';
import type { CaId } from './profiles.js';
import { storeLayout } from './store-layout.js';

/** The CAs a rotation can replace, by the names operators use for them. */
export const rotatableCas = {
  kubernetes: 'ca',
  etcd: 'etcd/ca',
  'front-proxy': 'front-proxy-ca',
} as const satisfies Record<string, CaId>;

/** An operator's name for a CA: `kubernetes`, `etcd` or `front-proxy`. */
export type RotatableCaName = keyof typeof rotatableCas;

/**
 * How long a rotation waits by default between its steps: 24 hours. Each step is followed by
 * an apply that rolls every machine (etcd members and controllers one at a time, worker groups
 * with surge), which on a large worker group takes hours, not minutes; and before the finish,
 * pods must have picked up the new `kube-root-ca.crt` and people the new admin kubeconfig. A
 * day covers that with room to spare and keeps the old CA's key on disk no longer than needed.
 */
export const defaultCaRotationOverlapMs = 24 * 60 * 60 * 1000;

/**
 * Where a CA rotation stands.
 * - `trusting`: the new CAs exist and every trust bundle holds old + new, but the old CAs
 *   still sign. The apply after the start gives every machine the bundles before any of them
 *   presents a certificate of a new CA.
 * - `switched`: the new CAs sign; every leaf is re-signed by them, and the bundles still hold
 *   old + new, so a machine not rolled yet (old leaf) and a rolled one (new leaf) accept each
 *   other.
 */
export type CaRotationPhase = 'trusting' | 'switched';

/** A CA rotation in progress, as its record in the key store says. */
export interface CaRotation {
  /** The CAs being replaced, in store order (`ca`, `etcd/ca`, `front-proxy-ca`). */
  readonly cas: readonly CaId[];
  /** Where the rotation stands. */
  readonly phase: CaRotationPhase;
  /** When the rotation started. */
  readonly startedAt: Date;
  /** When it entered its current phase. */
  readonly phaseStartedAt: Date;
  /** The earliest moment its next step (switch, then finish) goes ahead without `force`. */
  readonly nextStepAt: Date;
  /** The wait between steps it was started with, in milliseconds. */
  readonly overlapMs: number;
}

const caOrder: readonly CaId[] = Object.values(rotatableCas);

function corrupt(detail: string): HakocError {
  return new HakocError('HAKOC_KEYSTORE_CORRUPT', `${storeLayout.caRotation} ${detail}`, {
    hint: 'Restore the file from a backup of this key store.',
  });
}

/** Parses a rotation record; anything but the shape {@link caRotationText} writes is corrupt. */
export function parseCaRotation(text: string): CaRotation {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text) as Record<string, unknown>;
  } catch (cause) {
    throw new HakocError('HAKOC_KEYSTORE_CORRUPT', `${storeLayout.caRotation} is not JSON`, {
      cause,
    });
  }
  const cas = Array.isArray(value.cas) ? (value.cas as unknown[]) : [];
  const known = cas.filter((id): id is CaId => caOrder.includes(id as CaId));
  if (known.length === 0 || known.length !== cas.length || new Set(known).size !== cas.length) {
    throw corrupt('names no CA, an unknown one or one twice');
  }
  const date = (field: unknown): Date => {
    const parsed = typeof field === 'string' ? new Date(field) : undefined;
    if (parsed === undefined || Number.isNaN(parsed.getTime())) throw corrupt('has a bad date');
    return parsed;
  };
  const { phase, overlapMs } = value;
  if (phase !== 'trusting' && phase !== 'switched') throw corrupt('has an unknown phase');
  if (typeof overlapMs !== 'number' || !Number.isFinite(overlapMs) || overlapMs < 0) {
    throw corrupt('has a bad overlap');
  }
  const startedAt = date(value.startedAt);
  const phaseStartedAt = date(value.phaseStartedAt);
  return {
    cas: caOrder.filter((id) => known.includes(id)),
    phase,
    startedAt,
    phaseStartedAt,
    nextStepAt: new Date(phaseStartedAt.getTime() + overlapMs),
    overlapMs,
  };
}

/** The record's text. */
export function caRotationText(rotation: CaRotation): string {
  return `${JSON.stringify(
    {
      cas: rotation.cas,
      phase: rotation.phase,
      startedAt: rotation.startedAt.toISOString(),
      phaseStartedAt: rotation.phaseStartedAt.toISOString(),
      overlapMs: rotation.overlapMs,
    },
    null,
    2,
  )}\n`;
}

/** A rotation that entered `phase` at `now`. */
export function caRotationAt(
  cas: readonly CaId[],
  phase: CaRotationPhase,
  startedAt: Date,
  now: Date,
  overlapMs: number,
): CaRotation {
  return {
    cas: caOrder.filter((id) => cas.includes(id)),
    phase,
    startedAt,
    phaseStartedAt: now,
    nextStepAt: new Date(now.getTime() + overlapMs),
    overlapMs,
  };
}

/**
 * The CA rotation in progress in the key store at `dir`, or undefined when there is none.
 * Needs no passphrase (the record holds no secret), so `hakoc certs check` can show it.
 * Throws `HAKOC_KEYSTORE_CORRUPT` for a record it cannot read.
 */
export async function readCaRotation(dir: string): Promise<CaRotation | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, storeLayout.caRotation), 'utf8');
  } catch (cause) {
    if ((cause as { code?: unknown }).code === 'ENOENT') return undefined;
    throw new HakocError('HAKOC_KEYSTORE_IO', `Cannot read ${storeLayout.caRotation} in ${dir}`, {
      cause,
      hint: 'Check the file and its permissions.',
    });
  }
  return parseCaRotation(text);
}
