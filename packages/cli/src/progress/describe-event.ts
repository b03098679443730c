import { type EngineEvent, isHakocError } from '@hakoc/core';
import type { Palette } from '../cli-io.js';
import { formatDuration } from './format-duration.js';
import { stepDoneLabel, stepLabel } from './step-text.js';

/**
 * The line an event prints in the log of a run, without a trailing newline. `apply.finished`
 * is left to the summary, which needs the whole run's counts. Errors show their message, code
 * and hint only: their `cause` may quote a request with secrets in it.
 */
export function describeEvent(event: EngineEvent, palette: Palette): string | undefined {
  switch (event.type) {
    case 'plan.started':
      return `Planning ${event.cluster} on ${event.provider}…`;
    case 'plan.finished': {
      const s = event.summary;
      return `Plan: ${s.create} to create, ${s.update} to update, ${s.replace} to replace, ${s.delete} to delete, ${s.noop} unchanged ${palette.dim(`(${formatDuration(event.durationMs)})`)}`;
    }
    case 'lock.acquired':
      return palette.dim(`Locked ${event.cluster} for ${event.holder}`);
    case 'plan.failed':
      return `${palette.error('✗')} Planning ${event.cluster} failed after ${formatDuration(event.durationMs)}: ${errorText(event.error, palette)}`;
    case 'lock.released':
      return palette.dim(`Unlocked ${event.cluster}`);
    case 'lock.release-failed':
      return `${palette.warning('!')} Could not unlock ${event.cluster} (held by ${event.holder}): ${errorText(event.error, palette)}; the next run finds the lock and it can be broken`;
    case 'apply.started':
      return `${event.operation === 'apply' ? 'Applying' : 'Destroying'} ${event.cluster}: ${event.changes} ${event.changes === 1 ? 'change' : 'changes'}`;
    case 'resource.start':
      return `  ${palette.dim('→')} ${stepLabel(event.step)}`;
    case 'resource.progress':
      return `  ${palette.dim('…')} ${event.step.id}: ${event.message}`;
    case 'resource.retry':
      return `  ${palette.warning('↻')} ${stepLabel(event.step)}: attempt ${event.attempt} failed (${event.reason}: ${event.message}); retrying in ${formatDuration(event.delayMs)}`;
    case 'resource.done':
      return `  ${palette.ok('✓')} ${stepDoneLabel(event.step)} ${palette.dim(`(${formatDuration(event.durationMs)})`)}`;
    case 'resource.failed': {
      const { error } = event;
      const head = `  ${palette.error('✗')} ${stepLabel(event.step)} failed after ${formatDuration(event.durationMs)}: ${error.message} ${palette.dim(`[${error.code}]`)}`;
      return error.hint === undefined ? head : `${head}\n      hint: ${error.hint}`;
    }
    case 'apply.failed':
      return `${palette.error('✗')} ${event.operation === 'apply' ? 'Apply' : 'Destroy'} of ${event.cluster} failed after ${formatDuration(event.durationMs)}: ${errorText(event.error, palette)}`;
    case 'apply.finished':
      return undefined;
    default: {
      // A new event type fails to compile here instead of printing nothing.
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** An error's message, and its code and hint when it is one of ours; never its cause. */
function errorText(error: Error, palette: Palette): string {
  if (!isHakocError(error)) return error.message;
  const head = `${error.message} ${palette.dim(`[${error.code}]`)}`;
  return error.hint === undefined ? head : `${head}\n      hint: ${error.hint}`;
}
