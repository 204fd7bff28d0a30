export { DomainError, NotFoundError, ValidationFailedError, type FieldError } from './domain-error';
export { ProblemDetailsFilter } from './problem-details.filter';
export { createValidationPipe, validatePayload } from './validation-pipe';
export {
  toProblemDocument,
  codeForStatus,
  PROBLEM_CONTENT_TYPE,
  UNEXPECTED_ERROR_DETAIL,
  type ProblemDocument,
  type ProblemRequest,
} from './problem-document';
export { classifyException, type ClassifiedException } from './classify-exception';
export { assertUnreachable } from './assert-unreachable';
