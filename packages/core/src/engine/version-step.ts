import { HakocError } from '@hakoc/certs';

/** The stable code of an upgrade that skips a minor version. */
export const VERSION_SKIP_CODE = 'HAKOC_VERSION_SKIP';

/** The stable code of a downgrade to an older minor version. */
export const VERSION_DOWNGRADE_CODE = 'HAKOC_VERSION_DOWNGRADE';

/** What {@link checkVersionStep} compares. */
export interface VersionStep {
  /** What is versioned, for messages: `Kubernetes`. */
  readonly product: string;
  /** The versions running now (`X.Y.Z`), one per machine set or more during a roll. */
  readonly running: readonly string[];
  /** The version the spec asks for. */
  readonly desired: string;
  /** Where the desired version is set, for the hint: `spec.kubernetes.version`. */
  readonly field: string;
}

function minorOf(version: string): readonly [number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(version);
  return match === null ? undefined : [Number(match[1]), Number(match[2])];
}

/**
 * Refuses a change of version that moves by more than one minor (Kubernetes supports skew of
 * one minor between the control plane and the rest, and upgrades one minor at a time) or to an
 * older minor (etcd and the API server do not downgrade their stored data). Patch releases move
 * freely. Versions it cannot read are left alone: the spec's own checks report them.
 *
 * @throws HakocError {@link VERSION_SKIP_CODE} or {@link VERSION_DOWNGRADE_CODE}.
 */
export function checkVersionStep(step: VersionStep): void {
  const desired = minorOf(step.desired);
  if (desired === undefined) return;
  for (const version of [...new Set(step.running)].sort()) {
    const running = minorOf(version);
    if (running === undefined) continue;
    const distance = (desired[0] - running[0]) * 1000 + (desired[1] - running[1]);
    const next = `${running[0]}.${running[1] + 1}`;
    if (distance > 1) {
      throw new HakocError(
        VERSION_SKIP_CODE,
        `${step.product} ${version} is running and the spec asks for ${step.desired}: that skips a minor version.`,
        {
          hint: `Upgrade one minor at a time: set ${step.field} to a ${next} release, apply, then go on to ${step.desired}.`,
        },
      );
    }
    if (distance < 0) {
      throw new HakocError(
        VERSION_DOWNGRADE_CODE,
        `${step.product} ${version} is running and the spec asks for ${step.desired}: an older minor version.`,
        {
          hint: `Minor versions only go up: set ${step.field} to a ${running[0]}.${running[1]} release (or newer); to go back, restore the cluster from an etcd snapshot.`,
        },
      );
    }
  }
}
