export { abortableDelay } from './delay';
export {
  createProviderFetch,
  defaultRetryClassifier,
  parseRetryAfter,
  type ProviderFetchOptions,
  type RetryClassifier,
  type RetryPolicy,
} from './provider-fetch';
export { RateLimiter, type RateLimiterOptions } from './rate-limiter';
