import type { ObjectType } from '../crm/platforms.js';
import { recordTables } from '../sync/record-tables.js';

/**
 * A synced record's row as the API returns it: the columns of src/sync/record-tables.ts, camelCased,
 * timestamps as ISO text. Names are worked out once per object: renaming every key of every row had
 * cost a sixth of the server's CPU under load (bench-data-api profile).
 * Kept here, next to synced-records-repository.ts, because its column list is what that repository
 * selects: the statement and the shaping of its rows cannot drift apart.
 */
const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

export function recordRows(object: ObjectType) {
  const spec = recordTables[object];
  const columns = ['id', 'integration_id', 'remote_id', ...spec.fields.map(([c]) => c), ...spec.associations.map(([c]) => c),
    'properties', 'custom_fields', 'remote_created_at', 'remote_updated_at', 'deleted_at', 'updated_at'];
  const fieldNames = columns.map((column) => [column, camel(column)] as const);
  /** The row shaped like the response schema (the serializer validates it on the way out). */
  const toItem = (row: Record<string, unknown>) => {
    const item: Record<string, unknown> = {};
    for (const [column, name] of fieldNames) {
      const value = row[column];
      item[name] = value instanceof Date ? value.toISOString() : value;
    }
    return item;
  };
  return { columns, toItem };
}
