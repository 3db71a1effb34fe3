/** Runs work one at a time per stream, in call order; a failure does not stop the work queued after it. */
export const createStreamQueues = () => {
  const queues = new Map<string, Promise<unknown>>();
  return <T>(streamName: string, work: () => Promise<T>): Promise<T> => {
    const previous = queues.get(streamName) ?? Promise.resolve();
    const run = previous.then(work, work);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    queues.set(streamName, settled);
    void settled.then(() => {
      if (queues.get(streamName) === settled) queues.delete(streamName);
    });
    return run;
  };
};
