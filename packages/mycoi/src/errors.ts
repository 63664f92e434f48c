import { UpstreamError, type UpstreamErrorInit } from '@mycoi/http';

/**
 * An UpstreamError that also carries myCOI's structured error (`{ error: { code, message,
 * details } }`): `apiCode` such as duplicate_external_id, account_locked, invalid_reference.
 */
export class MycoiApiError extends UpstreamError {
  constructor(init: UpstreamErrorInit, readonly apiCode: string | undefined, readonly details: unknown, readonly retryAfterSec: number | undefined) {
    super(init);
  }
}

/** 409 on a create: a record with that external_id exists; `existing` is it (link, don't duplicate). */
export class MycoiDuplicateError<T> extends MycoiApiError {
  constructor(base: MycoiApiError, readonly existing: T) {
    super(
      { service: base.service, method: base.method, path: base.path, status: base.status, code: base.code, upstreamMessage: base.upstreamMessage, reason: base.reason, attempts: base.attempts },
      base.apiCode, base.details, base.retryAfterSec,
    );
  }
}

/** A single record (get or create) that does not match the contract. */
export class MycoiInvalidRecordError extends Error {
  override readonly name = 'MycoiInvalidRecordError';
  constructor(readonly path: string, readonly id: string | null, readonly issues: string[]) {
    super(`myCOI ${path}: record ${id ?? '(no id)'} does not match the contract: ${issues.slice(0, 3).join('; ')}`);
  }
}
