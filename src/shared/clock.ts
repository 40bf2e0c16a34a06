/**
 * @module shared/clock
 *
 * Time comes from a {@link Clock} so tests can move it; production uses {@link systemClock}.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Whole seconds since the epoch. */
export function epochSeconds(clock: Clock): number {
  return Math.floor(clock.now() / 1000);
}
