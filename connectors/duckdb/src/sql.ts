/** SQL text helpers shared by the sink and the source. Identifiers are always quoted. */

/** Quotes an identifier (`"a""b"`). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string literal (`'it''s'`). */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Quotes a possibly schema-qualified table name (`analytics.events` → `"analytics"."events"`),
 * optionally inside an attached catalog.
 */
export function qualifiedTable(table: string, catalog?: string): string {
  const parts = table.split('.').map(quoteIdent);
  if (catalog !== undefined) {
    if (parts.length === 1) parts.unshift(quoteIdent('main'));
    parts.unshift(quoteIdent(catalog));
  }
  return parts.join('.');
}
