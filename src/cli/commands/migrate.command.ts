import { loadConfig } from '../../config/config';
import { Database } from '../../database/database';
import { parseCli } from '../args';

export async function run(args: string[]): Promise<number> {
  const { values } = parseCli(args, { help: { type: 'boolean', short: 'h' } }, false);
  if (values.help) {
    process.stdout.write('caveat migrate\n  Applies pending migrations to the embedded database (CAVEAT_DATA_DIR) or DATABASE_URL.\n');
    return 0;
  }
  const config = loadConfig();
  const db = await Database.open(config, { migrate: false });
  try {
    const applied = await db.dataSource.runMigrations({ transaction: 'each' });
    process.stdout.write(applied.length ? `applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}\n` : 'database is up to date\n');
  } finally {
    await db.close();
  }
  return 0;
}
