// Mapping editor webview entry (built by esbuild into dist/webview.js).
export {};
