import { createApp } from './app';
import { ConfigError, loadConfig } from './config';

const HARD_EXIT_MS = 14_500;

const main = async () => {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const app = createApp(config);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, 'shutting down');
    // Every stop step is bounded; this is the last word should one still hang (an orchestrator kills at ~30 s).
    setTimeout(() => {
      app.logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, HARD_EXIT_MS).unref();
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        app.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (reason) => app.logger.error({ err: reason }, 'unhandled rejection'));
  process.on('uncaughtException', (error) => {
    app.logger.fatal({ err: error }, 'uncaught exception');
    void app.stop().finally(() => process.exit(1));
  });
  try {
    await app.start();
  } catch (error) {
    // A server that cannot listen or reach its stores must not linger half started.
    app.logger.fatal({ err: error }, 'start failed');
    await app.stop().catch(() => undefined);
    process.exit(1);
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
