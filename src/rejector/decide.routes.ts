import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CaveatError } from '../core/errors';
import { DecisionService } from './decision.service';

type NameParams = { Params: { name: string } };

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The two routes production calls, POST /models/:name/decide and /decide/batch, registered on
 * Fastify directly rather than through a Nest controller: measured with bench/decide-http.ts,
 * Nest's per-request pipeline (parameter pipes, handler context, response controller) cost a
 * quarter to a third of single-decision throughput. Nothing is lost: errors thrown here reach
 * the same exception filter (Nest installs it as Fastify's error handler), bodies have the same
 * limits and errors, and the answers are JSON bytes written by answer-json.ts. They parse their
 * own bodies (`parseJson`, src/common/json-body.ts): concept flags are read natively where they
 * can be (flag-scan.ts), the rest by JSON.parse alone, and decision-request.ts refuses the
 * prototype-poisoning keys that secure-json-parse refuses for the other routes.
 * Their OpenAPI entries are added by `documentDecideRoutes`.
 */
@Injectable()
export class DecideRoutes implements OnModuleInit {
  constructor(
    @Inject(HttpAdapterHost) private readonly host: HttpAdapterHost,
    @Inject(DecisionService) private readonly decisions: DecisionService,
  ) {}

  onModuleInit(): void {
    // No HTTP server in an application context (the CLI's local commands): nothing to register.
    const fastify = this.host.httpAdapter?.getInstance?.() as FastifyInstance | undefined;
    if (fastify === undefined || typeof fastify.post !== 'function') return;
    // Both routes parse their own bodies and check every key they read (json-body.ts, flag-scan.ts).
    const single = { parseJson: (req: FastifyRequest, body: Buffer) => this.decisions.parseBody(modelNameOf(req), body, false) };
    const batch = { parseJson: (req: FastifyRequest, body: Buffer) => this.decisions.parseBody(modelNameOf(req), body, true) };
    fastify.post<NameParams>('/models/:name/decide', { config: single }, async (req: FastifyRequest<NameParams>, reply: FastifyReply) => {
      const json = await this.decisions.decideOne(modelName(req), req.body);
      return reply.type(JSON_TYPE).send(json);
    });
    fastify.post<NameParams>('/models/:name/decide/batch', { config: batch }, async (req: FastifyRequest<NameParams>, reply: FastifyReply) => {
      const json = await this.decisions.decideBatch(modelName(req), req.body);
      // Once the answer is handed to the socket, its buffer can hold the next one.
      reply.raw.once('finish', () => this.decisions.answerBuffers.give(json));
      return reply.type(JSON_TYPE).send(json);
    });
  }
}

/** The model name a body is parsed for (the route's parameter; an empty one finds no rejector). */
const modelNameOf = (req: FastifyRequest): string => (req.params as { name?: string }).name ?? '';

/** The route's model name; an empty one (`/models//decide`) names no model, as Nest's routes answer. */
function modelName(req: FastifyRequest<NameParams>): string {
  const name = req.params.name;
  if (name === '') throw new CaveatError('not_found', 'no model named in the path', { field: 'name' });
  return name;
}

/** Adds the decide routes to the OpenAPI document (they have no Nest controller for Swagger to read). */
export function documentDecideRoutes(document: OpenAPIObject): void {
  const operation = (operationId: string, summary: string, schema: string) => ({
    post: {
      operationId,
      summary,
      tags: ['rejector'],
      parameters: [{ name: 'name', required: true, in: 'path' as const, schema: { type: 'string' as const } }],
      requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } } },
      responses: {
        '200': { description: 'The decision(s): `{decision, reason, reasonCode, threshold, matchedRules, expectedValue, ruleSetVersion, calibratorVersion, policyVersion, unresolvedConcepts, decisionId}`' },
        '400': { description: 'A field is missing or invalid (named in `details.field`)' },
        '404': { description: 'No such model' },
        '413': { description: 'Body or batch too large' },
        '422': { description: 'The predicted class is not one of the model classes' },
      },
    },
  });
  document.paths['/models/{name}/decide'] = operation(
    'decide',
    'Accept or reject one prediction, with the reason, the threshold, matched rules and expected values (logged)',
    'DecideRequestDto',
  );
  document.paths['/models/{name}/decide/batch'] = operation('decideBatch', 'Up to 10,000 decisions in one call; answers in the same order (413 beyond)', 'DecideBatchRequestDto');
}
