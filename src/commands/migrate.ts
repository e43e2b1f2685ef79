import { loadConfig } from '../config.js';
import { migrate } from '../db/migrate.js';
import { openDatabase } from '../db/pool.js';

export async function migrateCommand(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.PULSE_DATA_DIR, poolSize: 2 });
  try {
    const applied = await migrate(db.pool);
    console.log(applied.length ? `Applied ${applied.join(', ')}.` : 'The schema is current; nothing to apply.');
  } finally {
    await db.close();
  }
}
