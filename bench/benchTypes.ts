/**
 * Every bench module exports `bench: BenchDefinition`; `bench/run.ts` runs them in turn,
 * shows progress, and writes the results to bench/results/latest.{json,md}.
 */
export type BenchResult = {
  /** e.g. "durable single-event appends" */
  name: string;
  value: number;
  /** e.g. "events/s", "ms", "KB" */
  unit: string;
  /** The same workload without our code in the way, measured in the same run. */
  baseline?: { name: string; value: number };
  /** value / baseline.value (or the inverse for lower-is-better units); filled in by the bench. */
  ratio?: number;
  /** Human-readable target, e.g. ">= 5000 events/s and >= 0.6 of raw". */
  target?: string;
  /** Whether the target was met. */
  met?: boolean;
  notes?: string;
};

export type BenchProgress = {
  /** Starts a progress bar for a phase of `total` steps; returns the tick function. */
  phase: (label: string, total: number) => (increment?: number) => void;
  log: (message: string) => void;
};

export type BenchDefinition = {
  name: string;
  run: (progress: BenchProgress) => Promise<BenchResult[]>;
};
