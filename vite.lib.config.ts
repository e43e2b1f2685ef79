import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * What host apps install (`npm run build:lib` → dist/lib, run by `npm pack`): the React components
 * with their stylesheet (`pulse-crm-integrations/react`, `…/react/style.css`) and the API client
 * (`…/client`), as ES modules. React stays the host app's own copy (a peer, never bundled);
 * type declarations come from `tsc -p src/web/tsconfig.lib.json`.
 */
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: new URL('./dist/lib', import.meta.url).pathname,
    emptyOutDir: false,
    sourcemap: true,
    lib: {
      entry: {
        react: new URL('./src/web/components/crm/index.ts', import.meta.url).pathname,
        client: new URL('./src/web/api/index.ts', import.meta.url).pathname,
      },
      formats: ['es'],
      cssFileName: 'style',
    },
    rolldownOptions: { external: [/^react($|\/)/, /^react-dom($|\/)/] },
  },
});
