import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createAppLogger, loadConfig } from '@wholesail/config';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = configureApp(await NestFactory.create(AppModule, { logger: createAppLogger(config.logLevel) }));
  await app.listen(config.port);
  new Logger('Api').log(`listening on ${config.publicUrl}${config.http.docsEnabled ? ` (docs at ${config.publicUrl}/docs)` : ''}`);
}

bootstrap().catch((error: unknown) => {
  console.error('api failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
