import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatKeyRing, newKey, parseKeyRing, type KeyRing } from './secrets.js';

/**
 * Where the key ring comes from: PULSE_ENCRYPTION_KEY when set; otherwise (the embedded default) a
 * key file in the data directory, created on first start with mode 0600.
 */
export function keyFilePath(dataDir: string): string {
  return join(dataDir, 'encryption.key');
}

export function loadKeyRing(envKey: string | undefined, dataDir: string): KeyRing {
  if (envKey) return parseKeyRing(envKey);
  const path = keyFilePath(dataDir);
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const { id, key } = newKey();
    writeFileSync(path, `${id}:${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  }
  return parseKeyRing(readFileSync(path, 'utf8'));
}

/** Makes a new primary key, keeping the old ones for reading; returns the new ring. */
export function addPrimaryKey(ring: KeyRing): KeyRing {
  const primary = newKey();
  return { primary, keys: new Map([[primary.id, primary.key], ...ring.keys]) };
}

export function saveKeyFile(dataDir: string, ring: KeyRing): void {
  const path = keyFilePath(dataDir);
  writeFileSync(path, `${formatKeyRing(ring)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}
