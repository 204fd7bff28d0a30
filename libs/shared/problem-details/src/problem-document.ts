import { ERROR_CATALOGUE, problemTypeFor, type ErrorCode } from '@parking/contracts';
import { assertUnreachable } from './assert-unreachable';
import type { ClassifiedException } from './classify-exception';
import type { FieldError } from './domain-error';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export const UNEXPECTED_ERROR_DETAIL = 'An unexpected error occurred; quote the request id when reporting it.';

/** RFC 9457 problem details, with our `code` and `requestId` members. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance: string;
  requestId: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export interface ProblemRequest {
  method: string;
  /** The URL path, without the query string. */
  path: string;
  requestId: string;
}

interface Problem {
  code: ErrorCode;
  detail: string;
  errors?: FieldError[];
  extras?: Record<string, unknown>;
}

// A status that is not in the catalogue falls back to the generic code of its class.
const CODE_BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
  504: 'UPSTREAM_TIMEOUT',
};

export function codeForStatus(status: number): ErrorCode {
  return CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
}

export function toProblemDocument(classified: ClassifiedException, request: ProblemRequest): ProblemDocument {
  const problem = toProblem(classified, request);
  const { status, title } = ERROR_CATALOGUE[problem.code];
  const document: ProblemDocument = {
    type: problemTypeFor(problem.code),
    title,
    status,
    detail: problem.detail,
    code: problem.code,
    instance: request.path,
    requestId: request.requestId,
    ...(problem.errors?.length ? { errors: problem.errors } : {}),
  };
  // Extensions never replace a standard member.
  for (const [key, value] of Object.entries(problem.extras ?? {})) {
    if (!(key in document)) document[key] = value;
  }
  return document;
}

function toProblem(classified: ClassifiedException, request: ProblemRequest): Problem {
  switch (classified.kind) {
    case 'domain': {
      const { code, detail, errors, extras } = classified.error;
      return { code, detail, errors, extras };
    }
    case 'rpc':
      return classified.payload;
    case 'not-found':
      return { code: 'NOT_FOUND', detail: notFoundDetail(classified.message, request) };
    case 'client':
      return clientProblem(classified.status, classified.message, classified.malformedJson);
    case 'server': {
      const code = codeForStatus(classified.status);
      return { code, detail: code === 'INTERNAL' ? UNEXPECTED_ERROR_DETAIL : ERROR_CATALOGUE[code].title + '.' };
    }
    case 'unexpected':
      return { code: 'INTERNAL', detail: UNEXPECTED_ERROR_DETAIL };
    default:
      return assertUnreachable(classified);
  }
}

// Nest's router says `Cannot GET /x`; its bare exception says `Not Found`. Both become a
// sentence naming the method and path; a message written by our code is kept.
function notFoundDetail(message: string, request: ProblemRequest): string {
  if (message === 'Not Found' || /^Cannot [A-Z]+ /.test(message)) {
    return `Nothing matches ${request.method} ${request.path}.`;
  }
  return message;
}

function clientProblem(status: number, message: string, malformedJson: boolean): Problem {
  const code = codeForStatus(status);
  // The parser's message quotes part of the body; the client has the body already.
  if (malformedJson) return { code, detail: 'The request body is not valid JSON.' };
  switch (code) {
    case 'PAYLOAD_TOO_LARGE':
      return { code, detail: 'The request body is larger than this endpoint accepts.' };
    case 'UNSUPPORTED_MEDIA_TYPE':
      return { code, detail: 'The request content type is not supported here; send application/json.' };
    default:
      return { code, detail: message.trim() || `${ERROR_CATALOGUE[code].title}.` };
  }
}
