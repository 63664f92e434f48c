import type { InvalidRecord } from '@mycoi/http';

/** A single record (show/create/update) that does not match our schema. Lists never throw this:
 *  they report bad records in `invalid` and keep the rest. */
export class InvalidRecordError extends Error {
  override readonly name = 'InvalidRecordError';
  constructor(
    readonly path: string,
    readonly record: InvalidRecord,
  ) {
    super(`Procore ${path}: record ${record.id ?? '(no id)'} failed validation: ${record.issues.join('; ')}`);
  }
}
