import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Database } from '../database/database';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(Database) private readonly db: Database) {}

  @Get()
  @ApiOperation({ summary: 'Service and database state (503 when the database does not answer)' })
  async health(@Res({ passthrough: true }) reply: FastifyReply) {
    try {
      const latencyMs = await this.db.ping();
      return { status: 'ok', database: { kind: this.db.kind, status: 'up', latencyMs: Math.round(latencyMs * 100) / 100 } };
    } catch (e) {
      reply.status(503);
      return { status: 'degraded', database: { kind: this.db.kind, status: 'down', message: (e as Error).message } };
    }
  }
}
