import Database from 'better-sqlite3';

const OWN_TABLES = new Set(['projection_versions', 'projection_active']);

/**
 * The least a rebuild's writes can cost on this machine: every row of the read-model tables
 * in `sourcePath` (as a rebuild left them), its document decoded beforehand and encoded again
 * (`JSON.stringify`) as it is inserted into a fresh file by raw better-sqlite3, one prepared
 * INSERT per table, `rowsPerTransaction` rows a transaction, WAL, `synchronous=NORMAL` and the
 * page cache of the read-model file, no checkpoints. No projection work, no upserts, no
 * secondary indexes: a floor, not a competitor.
 */
export const timeRawRowWrites = (
  sourcePath: string,
  targetPath: string,
  rowsPerTransaction: number,
): { rows: number; ms: number } => {
  const source = new Database(sourcePath, { readonly: true });
  const tables = (
    source.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all() as Array<{
      name: string;
      sql: string;
    }>
  ).filter((table) => !OWN_TABLES.has(table.name) && !table.name.startsWith('sqlite_'));
  const contents = tables.map((table) => {
    const select = source.prepare(`SELECT * FROM "${table.name}"`).raw();
    const docAt = select.columns().findIndex((column) => column.name === 'doc');
    const rows = (select.all() as unknown[][]).map((row) =>
      row.map((value, index) => (index === docAt ? JSON.parse(value as string) : value)),
    );
    return { ...table, rows, docAt };
  });
  source.close();

  const target = new Database(targetPath);
  target.pragma('journal_mode = WAL');
  target.pragma('synchronous = NORMAL');
  // The read-model file's page cache; no checkpoint at all, the least a write can cost.
  target.pragma('cache_size = -65536');
  target.pragma('wal_autocheckpoint = 0');
  for (const table of contents) target.exec(table.sql);
  let rows = 0;
  const startedAt = process.hrtime.bigint();
  for (const table of contents.filter((candidate) => candidate.rows.length > 0)) {
    const insert = target.prepare(`INSERT INTO "${table.name}" VALUES (${table.rows[0].map(() => '?').join(', ')})`);
    const encoded = (row: unknown[]) =>
      row.map((value, index) => (index === table.docAt ? JSON.stringify(value) : value));
    const write = target.transaction((batch: unknown[][]) => batch.forEach((row) => insert.run(encoded(row))));
    for (let from = 0; from < table.rows.length; from += rowsPerTransaction) {
      write.immediate(table.rows.slice(from, from + rowsPerTransaction));
    }
    rows += table.rows.length;
  }
  const ms = Number(process.hrtime.bigint() - startedAt) / 1e6;
  target.close();
  return { rows, ms };
};
