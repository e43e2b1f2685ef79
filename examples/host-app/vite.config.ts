import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The example's page, built into examples/host-app/dist. It imports Pulse by package name only. */
export default defineConfig({
  root: new URL('./web', import.meta.url).pathname,
  plugins: [react()],
  build: { outDir: new URL('./dist', import.meta.url).pathname, emptyOutDir: true },
});
