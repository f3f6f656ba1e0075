import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import type { AppConfig } from './config';

const LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const satisfies readonly LogLevel[];

/**
 * Nest's boot chatter (every module initialised, every route mapped): shown at LOG_LEVEL=debug,
 * so that at the default level a process says only what it serves and where.
 */
const BOOT_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

class AppLogger extends ConsoleLogger {
  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams.at(-1) ?? this.context;
    if (typeof context === 'string' && BOOT_CONTEXTS.has(context)) super.debug(message, ...optionalParams);
    else super.log(message, ...optionalParams);
  }
}

/** The logger of the API and the worker: LOG_LEVEL and everything more severe. */
export function createAppLogger(level: AppConfig['logLevel']): ConsoleLogger {
  return new AppLogger({ logLevels: LEVELS.slice(0, LEVELS.indexOf(level) + 1) });
}
