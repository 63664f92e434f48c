import { z } from 'zod';

export const TokenResponse = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().int().positive(),
  refresh_token: z.string().optional(),
  created_at: z.number().int().optional(),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

export const TokenInfo = z.looseObject({
  resource_owner_id: z.number().int().nullable(),
  scopes: z.array(z.string()).optional(),
  expires_in_seconds: z.number().int(),
  application: z.looseObject({ uid: z.string() }).nullable().optional(),
  created_at: z.number().int().optional(),
});
export type TokenInfo = z.infer<typeof TokenInfo>;

export const SyncResult = z.looseObject({
  entities: z.array(z.unknown()),
  errors: z.array(z.unknown()).optional().default([]),
});
