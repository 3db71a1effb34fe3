/** Errors of the push fan-out. They never reach HTTP; BullMQ stores their message as the failure reason. */

/** The in-process queue was stopped while a job still had retries left: the job is abandoned, not failed. */
export class PushQueueStoppedError extends Error {
  constructor(readonly jobId: string) {
    super(`Push queue stopped before job ${jobId} finished`);
    this.name = 'PushQueueStoppedError';
  }
}

/** The webhook answered with a non-2xx status or could not be reached; the job is retried. */
export class PushWebhookError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = 'PushWebhookError';
  }
}
