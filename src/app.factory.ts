import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AppModule } from './app.module';
import { CaveatExceptionFilter } from './common/caveat-exception.filter';
import { jsonBodyParser } from './common/json-body';
import { caveatValidationPipe } from './common/validation.pipe';
import type { CaveatConfig } from './config/config';
import { DecideBatchRequestDto, DecideRequestDto } from './rejector/dto/decide-request.dto';
import { documentDecideRoutes } from './rejector/decide.routes';

/** Content types whose bodies are streamed to the handler unread (bulk imports). */
export const STREAMED_TYPES = ['text/csv', 'application/x-ndjson'];

/** Builds the configured (not yet listening) application: Fastify, validation, error filter, OpenAPI. */
export async function createApp(config: CaveatConfig, options: { logger?: boolean } = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: config.jsonBodyLimit, logger: config.logRequests });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    // Route-mapping logs are noise for users; errors and warnings stay. The start line is printed by main.ts.
    logger: options.logger === false ? false : ['error', 'warn'],
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  // Streamed bodies bypass Fastify's body limit; the import path counts bytes against its own limit.
  // Only JSON and the streamed types are accepted; anything else is 415 rather than a confusing validation error.
  fastify.removeContentTypeParser('text/plain');
  fastify.addContentTypeParser(STREAMED_TYPES, (_req: FastifyRequest, payload: unknown, done: (err: Error | null, body?: unknown) => void) => done(null, payload));
  app.useBodyParser('application/json', { bodyLimit: config.jsonBodyLimit }, jsonBodyParser(fastify));
  // Nest routes Fastify's own errors (body parsing, limits, unknown routes) through this filter too.
  app.useGlobalFilters(new CaveatExceptionFilter());
  app.useGlobalPipes(caveatValidationPipe());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Caveat')
      .setDescription('When not to trust your model. Errors are `{ error: { code, message, details } }` (see README).')
      .setVersion('0.1.0')
      .build(),
    { extraModels: [DecideRequestDto, DecideBatchRequestDto] },
  );
  documentDecideRoutes(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
  await app.init();
  await fastify.ready();
  return app;
}
