/** The base of the mapping layer's errors; each error sits beside the code that throws it. */
export class MappingError extends Error {
  override readonly name: string = 'MappingError';
}
