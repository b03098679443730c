/**
 * What an interrupted run tells the user. It is safe to promise: hakoc keeps no state of its
 * own, so the next run plans from what exists in the cloud and only does what is left.
 */
export const RESUME_HINT =
  'Run the same command again to resume: hakoc plans from what exists, so finished steps are not repeated.';
