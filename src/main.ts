import { createApp } from './app';
import { ConfigError, loadConfig } from './config';

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
  const shutdown = (signal: string) => {
    app.logger.info({ signal }, 'shutting down');
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
