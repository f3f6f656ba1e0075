import { Logger } from '@nestjs/common';
import { createAppLogger } from './app-logger';

describe('createAppLogger', () => {
  let written: string[];
  let spy: jest.SpyInstance;

  beforeEach(() => {
    written = [];
    spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  });

  afterEach(() => {
    spy.mockRestore();
    Logger.overrideLogger(false);
  });

  function logThrough(level: Parameters<typeof createAppLogger>[0]): void {
    Logger.overrideLogger(createAppLogger(level));
    new Logger('RoutesResolver').log('AuthController {/auth}:');
    new Logger('RouterExplorer').log('Mapped {/auth/login, POST} route');
    new Logger('InstanceLoader').log('AppModule dependencies initialized');
    new Logger('Api').log('listening on http://localhost:3000');
    new Logger('Api').debug('a debug detail');
  }

  it("keeps Nest's route and module boot lines out of the default level", () => {
    logThrough('log');
    const output = written.join('');
    expect(output).toContain('listening on http://localhost:3000');
    expect(output).not.toMatch(/Mapped|AuthController|dependencies initialized|a debug detail/);
  });

  it('shows them at debug', () => {
    logThrough('debug');
    const output = written.join('');
    expect(output).toContain('Mapped {/auth/login, POST} route');
    expect(output).toContain('AppModule dependencies initialized');
    expect(output).toContain('a debug detail');
  });

  it('honours a stricter level', () => {
    logThrough('warn');
    expect(written.join('')).toBe('');
  });
});
