import { ERROR_CATALOGUE, type ErrorCode, type RpcErrorPayload } from '@parking/contracts';

/** One problem with one input field; `field` is a path such as `address.lines[0]`. */
export type FieldError = NonNullable<RpcErrorPayload['errors']>[number];

/**
 * An error the domain expects and the client can act on. `detail` says what to fix and holds
 * nothing secret; `extras` are public, machine-readable facts (e.g. the limit that was hit)
 * rendered as extension members of the problem document.
 */
export class DomainError extends Error {
  override readonly name: string = 'DomainError';
  readonly errors?: FieldError[];

  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extras?: Record<string, unknown>,
    options: { errors?: FieldError[]; cause?: unknown } = {},
  ) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    if (options.errors) this.errors = options.errors;
  }

  get status(): number {
    return ERROR_CATALOGUE[this.code].status;
  }

  /** The shape in which this error crosses NATS request/reply. */
  toRpcPayload(): RpcErrorPayload {
    return {
      code: this.code,
      detail: this.detail,
      ...(this.errors ? { errors: this.errors } : {}),
      ...(this.extras ? { extras: this.extras } : {}),
    };
  }
}

/** `throw new NotFoundError('Reservation', id)` → 404 `Reservation "…" does not exist.` */
export class NotFoundError extends DomainError {
  override readonly name = 'NotFoundError';

  constructor(entity: string, id: string) {
    super('NOT_FOUND', `${entity} "${id}" does not exist.`);
  }
}

/** 400 VALIDATION_FAILED listing each invalid field. */
export class ValidationFailedError extends DomainError {
  override readonly name = 'ValidationFailedError';

  constructor(errors: FieldError[]) {
    super('VALIDATION_FAILED', describeInvalidFields(errors), undefined, { errors });
  }
}

/** `The request has 2 invalid fields: email, password.` */
function describeInvalidFields(errors: FieldError[]): string {
  const fields = [...new Set(errors.map((e) => e.field))];
  const noun = fields.length === 1 ? 'field' : 'fields';
  return `The request has ${fields.length} invalid ${noun}: ${fields.join(', ')}.`;
}
