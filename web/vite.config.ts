// Vite builds the app to static files in `dist/` that report-api serves at `/`. JSX is compiled for Preact by
// Vite's own transformer (no Babel plugin); no asset is inlined or fetched from elsewhere, so the strict CSP holds.
import { defineConfig } from 'vite';

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, assetsInlineLimit: 0, modulePreload: { polyfill: false } },
});
