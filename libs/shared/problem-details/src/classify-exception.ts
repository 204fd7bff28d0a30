import { HttpException, NotFoundException } from '@nestjs/common';
import { isErrorCode, type RpcErrorPayload } from '@parking/contracts';
import { DomainError, type FieldError } from './domain-error';

/** What an exception turned out to be, before it is rendered. */
export type ClassifiedException =
  | { kind: 'domain'; error: DomainError }
  | { kind: 'rpc'; payload: RpcErrorPayload }
  | { kind: 'not-found'; message: string }
  | { kind: 'client'; status: number; message: string; malformedJson: boolean }
  | { kind: 'server'; status: number; error: unknown }
  | { kind: 'unexpected'; error: unknown };

export function classifyException(exception: unknown): ClassifiedException {
  if (exception instanceof DomainError) return { kind: 'domain', error: exception };

  const payload = rpcErrorPayloadOf(exception);
  if (payload) return { kind: 'rpc', payload };

  if (exception instanceof NotFoundException) return { kind: 'not-found', message: exception.message };

  const status = httpStatusOf(exception);
  if (status === undefined) return { kind: 'unexpected', error: exception };
  if (status >= 500) return { kind: 'server', status, error: exception };
  return {
    kind: 'client',
    status,
    message: clientMessageOf(exception),
    malformedJson: exception instanceof SyntaxError,
  };
}

/**
 * An error that came back over NATS as `{code, detail, errors?}`: a plain object, an Error
 * carrying those properties, or an RpcException wrapping them (recognised by `getError`, so
 * this library does not load @nestjs/microservices).
 */
function rpcErrorPayloadOf(exception: unknown): RpcErrorPayload | undefined {
  const candidate = hasGetError(exception) ? exception.getError() : exception;
  if (typeof candidate !== 'object' || candidate === null) return undefined;
  const { code, detail, errors } = candidate as Record<string, unknown>;
  if (!isErrorCode(code) || typeof detail !== 'string') return undefined;
  const fieldErrors = Array.isArray(errors) ? errors.filter(isFieldError) : [];
  return { code, detail, ...(fieldErrors.length > 0 ? { errors: fieldErrors } : {}) };
}

function hasGetError(value: unknown): value is { getError(): unknown } {
  return value instanceof Error && typeof (value as { getError?: unknown }).getError === 'function';
}

function isFieldError(value: unknown): value is FieldError {
  const { field, message } = (value ?? {}) as Record<string, unknown>;
  return typeof field === 'string' && typeof message === 'string';
}

/** HttpException status, or the `statusCode` Fastify puts on its errors (body limits, JSON). */
function httpStatusOf(exception: unknown): number | undefined {
  if (exception instanceof HttpException) return exception.getStatus();
  if (!(exception instanceof Error)) return undefined;
  const { statusCode } = exception as { statusCode?: unknown };
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode <= 599 ? statusCode : undefined;
}

function clientMessageOf(exception: unknown): string {
  if (exception instanceof HttpException) {
    const response = exception.getResponse();
    if (typeof response === 'string') return response;
    const { message } = response as { message?: unknown };
    if (Array.isArray(message)) return message.map(String).join('; ');
    if (typeof message === 'string') return message;
  }
  return exception instanceof Error ? exception.message : '';
}
