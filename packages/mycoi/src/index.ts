export { createMycoiClient } from './client';
export type { MycoiClient, MycoiClientOptions, Page, ListQuery, WriteOptions } from './client';
export { paginate } from './feed';
export type { FeedOptions, FeedPage } from './feed';
export { loginMycoiUser } from './login';
export type { LoginOptions, LoginResult } from './login';
export { verifyWebhook } from './webhook';
export type { VerifyWebhookInput, WebhookVerdict } from './webhook';
export { MycoiApiError, MycoiDuplicateError, MycoiInvalidRecordError } from './errors';
// Re-exported so callers need one import for error handling and budgets.
export { UpstreamError, RateBudgetExhaustedError, RateBudget } from '@mycoi/http';
export * from './schemas';
