// What a reliability test records about one run (see results.ts).

/** The parts of the suite, in the order the document lists them. */
export const RELIABILITY_AREAS = [
  'Hostile and broken input',
  'Key store',
  'Secrets',
  'Crashes and resumption',
  'The API misbehaving',
] as const;

/** One of {@link RELIABILITY_AREAS}. */
export type ReliabilityArea = (typeof RELIABILITY_AREAS)[number];

/** What a reliability test is, said once where it is written. */
export interface ReliabilityTest {
  /** Stable identifier, the record's file name: lowercase words joined by hyphens. */
  readonly id: string;
  readonly area: ReliabilityArea;
  /** What the test does to hakoc, in one sentence. */
  readonly test: string;
  /** What one case is, plural: "seeded specs", "SIGKILLs". */
  readonly unit: string;
  /** What held in every case. */
  readonly held: string;
  /** The seed, where cases are drawn at random. */
  readonly seed?: number;
  /** `import.meta.url` of the test file. */
  readonly file: string;
}

/** A record as stored: the test, how many cases ran, and how it ended. */
export interface ReliabilityRecord extends Omit<ReliabilityTest, 'file'> {
  /** The test file, relative to the repository root. */
  readonly file: string;
  readonly cases: number;
  /** Figures the run found, beyond its count of cases. */
  readonly details?: string;
  readonly outcome: 'held' | 'failed';
  /** The first line of the failure, when it failed. */
  readonly failure?: string;
  /** Wall time of the run, in milliseconds. */
  readonly durationMs: number;
  /** When it ran, ISO 8601. */
  readonly ranAt: string;
}
