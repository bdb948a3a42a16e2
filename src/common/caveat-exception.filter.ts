import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CaveatError, type CaveatErrorCode } from '../core/errors';
import { isUnstorableText } from '../database/pg-errors';

/** The stable error body: `{ error: { code, message, details } }`. */
export interface ErrorBody {
  error: { code: CaveatErrorCode; message: string; details: Record<string, unknown> };
}

/** HTTP status of each domain error code; the switch is exhaustive so a new code cannot be forgotten. */
export function statusOf(code: CaveatErrorCode): number {
  switch (code) {
    case 'invalid_input':
    case 'malformed_body':
      return 400;
    case 'not_found':
      return 404;
    case 'conflict':
      return 409;
    case 'payload_too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'unknown_class':
    case 'unprocessable':
      return 422;
    case 'unavailable':
      return 503;
    case 'internal':
      return 500;
    default: {
      const never: never = code;
      return never;
    }
  }
}

/** Maps what Nest or Fastify threw (not a CaveatError) onto a domain error. */
export function toCaveatError(err: unknown): CaveatError {
  if (err instanceof CaveatError) return err;
  // The Fastify adapter wraps Fastify's own 4xx errors (body parsing, limits) in an HttpException.
  const cause = err instanceof HttpException ? (err as { cause?: { code?: unknown } }).cause : undefined;
  if (typeof cause?.code === 'string' && cause.code.startsWith('FST_')) return toCaveatError(cause);
  const fastify = err as { code?: string; statusCode?: number; message?: string };
  if (typeof fastify?.code === 'string' && fastify.code.startsWith('FST_')) {
    if (fastify.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new CaveatError('payload_too_large', 'request body is larger than the limit');
    if (fastify.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new CaveatError('unsupported_media_type', fastify.message ?? 'unsupported content type');
    if (fastify.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return new CaveatError('malformed_body', 'the JSON body is empty');
    if (fastify.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return new CaveatError('malformed_body', 'the body is not valid JSON');
    if (fastify.statusCode && fastify.statusCode < 500) return new CaveatError('malformed_body', fastify.message ?? 'malformed request');
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const response = err.getResponse();
    const message = typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? err.message);
    const code: CaveatErrorCode =
      status === 404 ? 'not_found' : status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : status === 409 ? 'conflict' : status === 422 ? 'unprocessable' : status < 500 ? 'invalid_input' : 'internal';
    return new CaveatError(code, message);
  }
  if (err instanceof SyntaxError && fastify.statusCode === 400) return new CaveatError('malformed_body', `malformed JSON: ${err.message}`);
  if (isUnstorableText(err)) return new CaveatError('invalid_input', 'a text value holds a character the database cannot store (NUL, or a lone surrogate)');
  return new CaveatError('internal', 'internal error');
}

/** The one exception filter: every error leaves as `{ error: { code, message, details } }`. */
@Catch()
export class CaveatExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Caveat');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const error = toCaveatError(exception);
    const status = statusOf(error.code);
    if (status >= 500) this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    sendError(reply, error);
  }
}

export function sendError(reply: FastifyReply, error: CaveatError): void {
  const body: ErrorBody = { error: { code: error.code, message: error.message, details: { ...error.details } } };
  if (!reply.sent) void reply.status(statusOf(error.code)).header('content-type', 'application/json; charset=utf-8').send(body);
}
