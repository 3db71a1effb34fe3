import cliProgress from 'cli-progress';
import type { CliIo } from './cliIo';

export type ProgressBar = {
  start: (total: number, startValue?: number) => void;
  update: (value: number) => void;
  stop: () => void;
};

const NO_PROGRESS: ProgressBar = { start: () => {}, update: () => {}, stop: () => {} };

const formatRate = (perSecond: number): string =>
  perSecond >= 1000 ? `${(perSecond / 1000).toFixed(1)}k` : perSecond.toFixed(0);

/**
 * A progress bar on stderr with rate and ETA. On a terminal it redraws in place; piped,
 * it prints a line every few seconds. Either way it ends with a one-line summary.
 */
export const createProgressBar = (
  io: CliIo,
  options: { label: string; unit: string; enabled: boolean },
): ProgressBar => {
  if (!options.enabled) return NO_PROGRESS;
  const bar = new cliProgress.SingleBar(
    {
      stream: io.stderr,
      format: `${options.label} [{bar}] {percentage}% | {value}/{total} ${options.unit} | {rate} ${options.unit}/s | ETA {eta_formatted}`,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      gracefulExit: false,
      hideCursor: false,
      etaBuffer: 100,
    },
    cliProgress.Presets.shades_classic,
  );
  let startedAt = 0;
  let startValue = 0;
  let current = 0;
  let lastRender = 0;
  const rate = () => {
    const seconds = (Date.now() - startedAt) / 1000;
    return seconds > 0 ? (current - startValue) / seconds : 0;
  };
  return {
    start: (total, from = 0) => {
      startedAt = Date.now();
      startValue = from;
      current = from;
      bar.start(Math.max(total, from), from, { rate: '0' });
    },
    update: (value) => {
      current = value;
      // cli-progress does ETA bookkeeping on every update: feed it a few times a second at most.
      const now = Date.now();
      if (now - lastRender < 100) return;
      lastRender = now;
      if (value > bar.getTotal()) bar.setTotal(value);
      bar.update(value, { rate: formatRate(rate()) });
    },
    stop: () => {
      if (current > bar.getTotal()) bar.setTotal(current);
      bar.update(current, { rate: formatRate(rate()) });
      bar.stop();
      const seconds = (Date.now() - startedAt) / 1000;
      io.stderr.write(
        `${options.label}: ${current - startValue} ${options.unit} in ${seconds.toFixed(1)}s (${formatRate(rate())} ${options.unit}/s)\n`,
      );
    },
  };
};
