/** A clock that moves only when a test says so. */
export interface FakeClock {
  /** The time, in milliseconds. */
  readonly now: () => number;
  /** Moves the time forward. */
  readonly advance: (ms: number) => void;
}

export function fakeClock(start = 1_000_000): FakeClock {
  let time = start;
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
  };
}
