/**
 * A small seeded pseudo-random generator (mulberry32). The emulator draws names, ids and fault
 * decisions from it so a run with the same seed and the same calls produces the same world.
 */
export class Prng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** Starts the sequence of `seed` again. */
  reseed(seed: number): void {
    this.#state = seed >>> 0;
  }

  /** The internal state, saved with the world so a restart continues the same sequence. */
  get state(): number {
    return this.#state;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** `length` characters drawn from `alphabet`. */
  chars(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)] ?? '';
    return out;
  }

  /** A GCE-style numeric id: 19 decimal digits, never starting with 0. */
  id(): string {
    return `${1 + this.int(9)}${this.chars('0123456789', 18)}`;
  }
}
