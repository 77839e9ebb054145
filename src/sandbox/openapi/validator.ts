import type { RequestValidator } from './types';

export async function loadOpenApiValidator(_path: string): Promise<RequestValidator | undefined> {
  return undefined;
}
