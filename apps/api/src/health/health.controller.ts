import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Response } from 'express';
import { TemporalConnectionHolder } from '@wholesail/temporal';
import { Public } from '../auth/auth.decorators';

class DependencyHealth {
  @ApiProperty({ enum: ['up', 'down'] }) status!: 'up' | 'down';
  @ApiProperty() latencyMs!: number;
  @ApiProperty({ required: false }) error?: string;
}

class HealthView {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status!: 'ok' | 'degraded';
  @ApiProperty({ type: DependencyHealth }) database!: DependencyHealth;
  @ApiProperty({ type: DependencyHealth }) temporal!: DependencyHealth;
}

const TIMEOUT_MS = 3000;

async function probe(check: () => Promise<unknown>): Promise<DependencyHealth> {
  const started = Date.now();
  try {
    await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS).unref())]);
    return { status: 'up', latencyMs: Date.now() - started };
  } catch (error) {
    return { status: 'down', latencyMs: Date.now() - started, error: error instanceof Error ? error.message : String(error) };
  }
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly em: EntityManager,
    private readonly temporal: TemporalConnectionHolder,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Liveness and dependencies: 200 when PostgreSQL and Temporal answer, else 503' })
  @ApiOkResponse({ type: HealthView })
  @ApiServiceUnavailableResponse({ type: HealthView })
  async health(@Res({ passthrough: true }) response: Response): Promise<HealthView> {
    const [database, temporal] = await Promise.all([
      probe(() => this.em.getConnection().execute('select 1')),
      probe(() => this.temporal.connection.workflowService.getSystemInfo({})),
    ]);
    const status = database.status === 'up' && temporal.status === 'up' ? 'ok' : 'degraded';
    response.status(status === 'ok' ? 200 : 503);
    return { status, database, temporal };
  }
}
