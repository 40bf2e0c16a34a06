/**
 * @module attack-protection/hold
 *
 * What one protection step keeps for an admitted attempt until its outcome is known.
 */

/** A reservation made before hashing, settled once the password was checked. */
export interface Hold {
  /** The password was right. */
  success(): Promise<void>;
  /** The password (or user) was wrong. */
  failure(): Promise<void>;
  /** The attempt was never evaluated (a later check refused it, or hashing failed). */
  release(): Promise<void>;
}

/** Runs `step` on every hold, in reverse order of reservation. */
export async function settleAll(holds: readonly Hold[], step: keyof Hold): Promise<void> {
  for (const hold of [...holds].reverse()) await hold[step]();
}
