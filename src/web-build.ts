import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { webDistDir } from './server/web-assets.js';

/** `npm start` on a fresh clone builds the UI once; later starts reuse dist/web. */
export async function ensureWebBuilt(log: (message: string) => void): Promise<void> {
  if (existsSync(join(webDistDir, 'index.html'))) return;
  log('Building the web UI (first start only)…');
  const { build } = await import('vite');
  await build({ configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)), logLevel: 'warn' });
}
