export { IntercomClient } from './client';
export * from './errors';
export type { IntercomLogger } from './logger';
export type { OutcomeLookup } from './outcome';
export type { Resolution, ResolveOptions } from './resolve-unknown';
export {
  DEFAULT_SEARCH_SETTLE_MS,
  failsForAPassingReason,
  LOOKUP_PAUSE_MS,
  LOOKUP_TRIES,
  normalizeBody,
  resolvePatiently,
  resolveUnknown,
  writeAtMostOnce,
} from './resolve-unknown';
export * from './schemas';
export type { Region } from './transport';
export { REGION_BASE_URLS } from './transport';
