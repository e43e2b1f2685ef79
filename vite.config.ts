import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The demo host app (src/web) built into dist/web, served by the server at `/`. Only `import.meta.env`
 * variables prefixed PULSE_PUBLIC_ reach the bundle; no secret is ever one of them.
 */
export default defineConfig({
  root: new URL('./src/web', import.meta.url).pathname,
  envPrefix: 'PULSE_PUBLIC_',
  plugins: [react()],
  build: {
    outDir: new URL('./dist/web', import.meta.url).pathname,
    emptyOutDir: true,
    // No source maps in the served bundle: they would publish the source to anyone who asks.
    sourcemap: false,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/crm': 'http://127.0.0.1:3000' } },
});
