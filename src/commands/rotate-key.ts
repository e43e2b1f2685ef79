import { loadConfig } from '../config.js';
import { migrate } from '../db/migrate.js';
import { openDatabase } from '../db/pool.js';
import { addPrimaryKey, keyFilePath, loadKeyRing, saveKeyFile } from '../lib/key-file.js';
import { reencryptAll } from '../lib/reencrypt.js';

/**
 * Key rotation. With PULSE_ENCRYPTION_KEY: put the new key first (old keys after it) and run this
 * to move every secret to it; then the old keys can be dropped. With the embedded key file: this
 * adds a new primary key to the file first (old ones kept), then re-encrypts.
 */
export async function rotateKeyCommand(): Promise<void> {
  const config = loadConfig();
  let ring = loadKeyRing(config.PULSE_ENCRYPTION_KEY, config.PULSE_DATA_DIR);
  if (!config.PULSE_ENCRYPTION_KEY) {
    // The file is written before any value moves, so a crash in between loses no key.
    ring = addPrimaryKey(ring);
    saveKeyFile(config.PULSE_DATA_DIR, ring);
    console.log(`Added key "${ring.primary.id}" to ${keyFilePath(config.PULSE_DATA_DIR)}.`);
  }
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.PULSE_DATA_DIR, poolSize: 2 });
  try {
    await migrate(db.pool);
    const changed = await reencryptAll(db.pool, ring);
    console.log(`Re-encrypted ${changed} secret(s) under key "${ring.primary.id}".`);
  } finally {
    await db.close();
  }
}
