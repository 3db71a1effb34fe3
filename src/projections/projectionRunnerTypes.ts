/** What a projection runner (projectionRunner.ts) reports and offers. */
export type ProjectionState = 'stopped' | 'catching_up' | 'live' | 'failed';

export type ProjectionStatus = {
  name: string;
  version: number;
  state: ProjectionState;
  /** Position of the last event this runner has applied (or seen and skipped). */
  appliedPosition: bigint | undefined;
  /** When the last applied event was recorded in the log. */
  appliedRecordedAt: string | undefined;
  eventsApplied: number;
  error: string | undefined;
};

export type ProjectionRunner = {
  start: () => Promise<void>;
  stop: () => Promise<void>;
  status: () => ProjectionStatus;
  /** Resolves true once the runner has passed `position`, false after `timeoutMs`. */
  waitForPosition: (position: bigint, timeoutMs: number) => Promise<boolean>;
  /** Resolves when the runner first reaches the head of the log. */
  caughtUp: () => Promise<void>;
};
