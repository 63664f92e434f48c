import { z } from 'zod';

// Request schemas, transcribed from packages/mycoi/openapi.yaml.

const str = (max: number) => z.string().max(max);
const nullableStr = (max: number) => z.string().max(max).nullable().optional();

export const addressSchema = z
  .object({
    line1: nullableStr(200),
    line2: nullableStr(200),
    city: nullableStr(100),
    state: nullableStr(100),
    postal_code: nullableStr(20),
    country: nullableStr(2),
  })
  .strict();

export const contactSchema = z
  .object({
    name: z.string().min(1).max(200),
    email: z.email().max(254).nullable().optional(),
    phone: nullableStr(50),
    kind: z.enum(['primary', 'insurance_agent', 'billing', 'other']).optional(),
  })
  .strict();

export const divisionCreate = z
  .object({
    name: z.string().min(1).max(200),
    code: nullableStr(100),
    external_id: z.string().min(1).max(100).nullable().optional(),
    address: addressSchema.nullable().optional(),
  })
  .strict();

export const vendorCreate = z
  .object({
    name: z.string().min(1).max(200),
    tax_id: nullableStr(50),
    external_id: z.string().min(1).max(100).nullable().optional(),
    address: addressSchema.nullable().optional(),
    contacts: z.array(contactSchema).max(20).optional(),
  })
  .strict();

export const assignmentCreate = z
  .object({
    vendor_id: z.string().min(1).max(100),
    division_id: z.string().min(1).max(100),
    insurance_set_id: z.string().min(1).max(100),
    contract_id: nullableStr(100),
    external_id: z.string().min(1).max(100).nullable().optional(),
    title: nullableStr(300),
    amount: z.number().finite().nullable().optional(),
  })
  .strict();

const limit = z.coerce.number().int().min(1).max(100).default(50);
const cursor = str(500).optional();

export const listQuery = z.object({ q: str(200).optional(), external_id: str(100).optional(), cursor, limit });
export const vendorQuery = listQuery.extend({ tax_id: str(50).optional() });
export const setQuery = z.object({ q: str(200).optional(), cursor, limit });
export const assignmentQuery = z.object({
  vendor_id: str(100).optional(),
  division_id: str(100).optional(),
  external_id: str(100).optional(),
  contract_id: str(100).optional(),
  cursor,
  limit,
});
export const complianceQuery = z.object({
  updated_since: z.iso.datetime({ offset: true }).optional(),
  level: z.enum(['vendor', 'assignment']).optional(),
  cursor,
  limit,
});

export const tokenRequest = z.object({
  grant_type: z.literal('client_credentials'),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
});
export const loginRequest = z.object({ email: z.email().max(254), password: z.string().min(1).max(200) }).strict();
