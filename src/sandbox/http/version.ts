import { ApiError } from './errors';

/** The values of the `Intercom-Version` enum in the 2.16 description (plus the pre-release name). */
const SUPPORTED_VERSIONS = [
  '1.0',
  '1.1',
  '1.2',
  '1.3',
  '1.4',
  '2.0',
  '2.1',
  '2.2',
  '2.3',
  '2.4',
  '2.5',
  '2.6',
  '2.7',
  '2.8',
  '2.9',
  '2.10',
  '2.11',
  '2.12',
  '2.13',
  '2.14',
  '2.15',
  '2.16',
  'Preview',
  'Unstable',
] as const;

/** The version an absent header means: the app package's version, which the sandbox pins to 2.16. */
const DEFAULT_VERSION = '2.16';

export function resolveVersion(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value === '') return DEFAULT_VERSION;
  if (!(SUPPORTED_VERSIONS as readonly string[]).includes(value)) {
    throw new ApiError(400, 'intercom_version_invalid', 'The requested version could not be found');
  }
  return value;
}

/** Numeric comparison of "2.13" style versions; Preview/Unstable rank above every numbered one. */
export function versionAtLeast(version: string, minimum: string): boolean {
  const rank = (v: string): number[] => (v === 'Preview' || v === 'Unstable' ? [99, 0] : v.split('.').map(Number));
  const [a1 = 0, a2 = 0] = rank(version);
  const [b1 = 0, b2 = 0] = rank(minimum);
  return a1 !== b1 ? a1 > b1 : a2 >= b2;
}

export function versionNotAvailable(): ApiError {
  return new ApiError(400, 'intercom_version_invalid', 'Requested resource is not available in current API version.');
}
