export { createMycoiClient } from './client';
export type { MycoiClient, MycoiClientOptions, Page, ListQuery, WriteOptions } from './client';
export type { FeedOptions, FeedPage } from './feed';
export { loginMycoiUser } from './login';
export type { LoginOptions, LoginResult } from './login';
export { verifyWebhook } from './webhook';
export type { VerifyWebhookInput, WebhookVerdict } from './webhook';
export { MycoiApiError, MycoiDuplicateError, MycoiInvalidRecordError } from './errors';
export * from './schemas';
