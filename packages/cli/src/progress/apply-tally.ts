import type { ApplyFinishedEvent, EngineEvent } from '@hakoc/core';
import type { Palette } from '../cli-io.js';
import { formatDuration } from './format-duration.js';
import { RESUME_HINT } from './resume-hint.js';

/** What the steps of one run did, counted from its events. */
export interface ApplyCounts {
  /** Objects created. */
  created: number;
  /** Objects changed in place. */
  updated: number;
  /** Objects deleted and created again. */
  replaced: number;
  /** Objects deleted. */
  deleted: number;
  /** Steps that failed for good. */
  failed: number;
}

/** Counts finished and failed steps as their events arrive, for the summary at the end. */
export function createApplyTally(): {
  readonly counts: Readonly<ApplyCounts>;
  record(event: EngineEvent): void;
} {
  const counts: ApplyCounts = { created: 0, updated: 0, replaced: 0, deleted: 0, failed: 0 };
  return {
    counts,
    record(event) {
      if (event.type === 'resource.failed') counts.failed += 1;
      if (event.type !== 'resource.done') return;
      if (event.step.action === 'create') counts.created += 1;
      if (event.step.action === 'update') counts.updated += 1;
      if (event.step.action === 'replace') counts.replaced += 1;
      if (event.step.action === 'delete') counts.deleted += 1;
    },
  };
}

/**
 * The summary printed when a run finishes: its outcome, every count (zeros too, so a log reader
 * or a grep finds the same shape every time) and the wall time since the command started. An
 * interrupted run adds how to resume.
 */
export function summaryLines(
  finished: ApplyFinishedEvent,
  counts: Readonly<ApplyCounts>,
  wallMs: number,
  palette: Palette,
): string[] {
  const verb = finished.operation === 'apply' ? 'Apply' : 'Destroy';
  const tally = [
    `${counts.created} created`,
    `${counts.updated} updated`,
    `${counts.replaced} replaced`,
    `${counts.deleted} deleted`,
    `${counts.failed} failed`,
  ].join(', ');
  const { notStarted, unknown } = finished.totals;
  const loose = [
    ...(unknown > 0 ? [`${unknown} in flight, outcome unknown`] : []),
    ...(notStarted > 0 ? [`${notStarted} not started`] : []),
  ];
  const counted = loose.length > 0 ? `${tally}; ${loose.join(', ')}` : tally;
  const took = formatDuration(wallMs);
  if (finished.aborted) {
    return [
      `${palette.warning('!')} ${verb} interrupted after ${took}: ${counted}`,
      `  ${RESUME_HINT}`,
    ];
  }
  if (counts.failed > 0 || unknown > 0) {
    return [`${palette.error('✗')} ${verb} failed after ${took}: ${counted}`];
  }
  const done = finished.operation === 'apply' ? 'Applied' : 'Destroyed';
  return [`${palette.ok('✓')} ${done} in ${took}: ${counted}`];
}
