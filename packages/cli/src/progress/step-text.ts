import type { StepAction, StepRef } from '@hakoc/core';

const pastTense: Readonly<Record<StepAction, string>> = {
  create: 'created',
  update: 'updated',
  replace: 'replaced',
  delete: 'deleted',
  noop: 'unchanged',
};

/** `create gce.network/demo`: what a running step is doing. */
export function stepLabel(step: StepRef): string {
  return `${step.action} ${step.id}`;
}

/** `created gce.network/demo`: what a finished step did. */
export function stepDoneLabel(step: StepRef): string {
  return `${pastTense[step.action]} ${step.id}`;
}
