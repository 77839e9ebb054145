/**
 * Intercom rejects or mangles NUL characters and unpaired UTF-16 surrogates; SmarterTrack data has both
 * (old email imports). Cleaning them is lossless enough to report rather than fail.
 */
export function cleanText(value: string): { text: string; changed: boolean } {
  // eslint-disable-next-line no-control-regex
  const text = value.replace(/\u0000/g, '').toWellFormed();
  return { text, changed: text !== value };
}
