// Building blocks for response schemas. Records are loose (unknown fields pass through) and most
// fields are optional and nullable: Procore omits fields by view and nulls unset values. Only what
// the integration relies on (ids, names, enums) is required, so a record missing them is reported.
import { z } from 'zod';

export const id = z.number().int();
export const str = z.string().nullable().optional();
export const num = z.number().nullable().optional();
export const bool = z.boolean().nullable().optional();
/** Money and amounts are strings in Procore ("1000000.0"). */
export const money = z.union([z.string(), z.number()]).nullable().optional();
export const idRef = z.looseObject({ id }).nullable().optional();
export const idName = z.looseObject({ id, name: str }).nullable().optional();
