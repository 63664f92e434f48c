import { UpstreamError, type UpstreamErrorInit } from '@mycoi/http';
import { errorEnvelope } from './schemas';

/**
 * An UpstreamError read as myCOI's structured error (`{ error: { code, message, details } }`, the
 * error's `body`): `apiCode` such as duplicate_external_id, account_locked, invalid_reference.
 */
export class MycoiApiError extends UpstreamError {
  readonly apiCode: string | undefined;
  readonly details: unknown;

  constructor(init: UpstreamErrorInit) {
    super(init);
    const env = errorEnvelope.safeParse(init.body);
    this.apiCode = env.success ? env.data.error.code : undefined;
    this.details = env.success ? env.data.error.details : undefined;
  }
}

/** 409 on a create: a record with that external_id exists; `existing` is it (link, don't duplicate). */
export class MycoiDuplicateError<T> extends MycoiApiError {
  constructor(
    base: MycoiApiError,
    readonly existing: T,
  ) {
    super(base);
  }
}

/** A single record (get or create) that does not match the contract. */
export class MycoiInvalidRecordError extends Error {
  override readonly name = 'MycoiInvalidRecordError';
  constructor(
    readonly path: string,
    readonly id: string | null,
    readonly issues: string[],
  ) {
    super(`myCOI ${path}: record ${id ?? '(no id)'} does not match the contract: ${issues.slice(0, 3).join('; ')}`);
  }
}
