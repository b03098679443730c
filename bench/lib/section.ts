/** A figure with a target, for the summary table at the top of the report. */
export interface TargetCheck {
  /** What is measured, e.g. `apply ÷ critical path`. */
  readonly what: string;
  /** The target in words, e.g. `≤ 1.05`. */
  readonly target: string;
  /** The measured figure in words. */
  readonly measured: string;
  readonly met: boolean;
}

/** What a section hands back: its Markdown (heading included) and its target checks. */
export interface SectionResult {
  readonly markdown: string;
  readonly targets: readonly TargetCheck[];
}

/** What every section gets. */
export interface BenchContext {
  /** Fewer runs and smaller points: CI's smoke run, not figures to quote. */
  readonly quick: boolean;
  /** A progress line on stderr. */
  log(message: string): void;
}

/** One part of the report, between its own markers in docs/benchmarks.md. */
export interface BenchSection {
  /** Marker id: `<!-- bench:<id>:begin -->`. */
  readonly id: string;
  run(ctx: BenchContext): Promise<SectionResult>;
}
