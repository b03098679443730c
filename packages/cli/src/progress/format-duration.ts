/**
 * A duration as people read it in a progress line: `0.4s`, `12.3s`, `1m05s`, `1h02m`. Tenths
 * only under a minute, where they still tell steps apart; beyond that they are noise.
 */
export function formatDuration(ms: number): string {
  const safe = Math.max(0, ms);
  if (safe < 60_000) return `${(Math.floor(safe / 100) / 10).toFixed(1)}s`;
  const seconds = Math.floor(safe / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${pad(seconds % 60)}s`;
  return `${Math.floor(seconds / 3600)}h${pad(Math.floor(seconds / 60) % 60)}m`;
}

/**
 * Elapsed time of a step still running, in whole seconds (`7s`, `1m05s`): a live line is redrawn
 * once a second, so tenths would only flicker.
 */
export function formatElapsed(ms: number): string {
  const seconds = Math.floor(Math.max(0, ms) / 1000);
  return seconds < 60 ? `${seconds}s` : formatDuration(ms);
}

const pad = (value: number): string => String(value).padStart(2, '0');
