// Lit adds <style nonce> elements where constructable stylesheets are missing; it reads the nonce
// here. Imported first, before any element module is evaluated.
const nonce = document.querySelector<HTMLScriptElement>('script[nonce]')?.nonce;
if (nonce) (window as unknown as { litNonce?: string }).litNonce = nonce;
export {};
