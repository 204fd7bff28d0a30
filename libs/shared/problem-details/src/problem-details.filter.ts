import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { throwError, type Observable } from 'rxjs';
import { classifyException, type ClassifiedException } from './classify-exception';
import { PROBLEM_CONTENT_TYPE, toProblemDocument, type ProblemDocument } from './problem-document';

/**
 * The one exception filter: renders every error of an HTTP request as RFC 9457
 * `application/problem+json`. Server errors are logged with the request id; nothing of
 * them reaches the client. In RPC context the exception is handed back untouched, for the
 * messaging adapter to answer.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    const type = host.getType<'http' | 'rpc' | 'ws'>();
    if (type === 'rpc') return throwError(() => exception);
    if (type !== 'http') throw exception;

    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const classified = classifyException(exception);
    const problem = toProblemDocument(classified, {
      method: request.method,
      path: request.url.split('?', 1)[0],
      requestId: String(request.id),
    });

    if (problem.status >= 500) this.logServerError(classified, exception, problem);
    if (reply.sent) return;
    // A service that says when to come back (a throttled sign-in): say it the HTTP way too.
    const retryAfter = (problem as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    if ((problem.status === 429 || problem.status === 503) && typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter > 0) {
      void reply.header('retry-after', String(Math.ceil(retryAfter)));
    }
    void reply
      .status(problem.status)
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .header('x-request-id', problem.requestId)
      .send(JSON.stringify(problem));
  }

  private logServerError(classified: ClassifiedException, exception: unknown, problem: ProblemDocument): void {
    const context = { requestId: problem.requestId, code: problem.code, instance: problem.instance };
    // Errors relayed over RPC were logged where they happened.
    if (classified.kind === 'rpc') {
      this.logger.warn(context, `A service answered ${problem.code}`);
      return;
    }
    this.logger.error({ ...context, err: exception }, 'Request failed with an unexpected error');
  }
}
