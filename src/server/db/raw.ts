import { getTableColumns, type InferSelectModel, type Table } from "drizzle-orm";

/** The rows of a raw `execute`: postgres-js answers an array, PGlite an object with `rows`. */
export function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as T[];
}

const columnMaps = new WeakMap<Table, Array<[string, string, { mapFromDriverValue(v: unknown): unknown }]>>();

/**
 * A table row read as `row_to_json(alias)` in raw SQL, mapped as Drizzle maps its own selects
 * (column names to keys, driver values to dates and numbers). Hot paths read rows this way
 * because building a Drizzle select of three joined tables costs more than the query itself.
 */
export function rowFromJson<T extends Table>(table: T, json: Record<string, unknown> | null): InferSelectModel<T> | null {
  if (json === null) return null;
  let columns = columnMaps.get(table);
  if (!columns) {
    columns = Object.entries(getTableColumns(table)).map(([key, column]) => [key, column.name, column as unknown as { mapFromDriverValue(v: unknown): unknown }]);
    columnMaps.set(table, columns);
  }
  const row: Record<string, unknown> = {};
  for (const [key, name, column] of columns) {
    const value = json[name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as InferSelectModel<T>;
}
