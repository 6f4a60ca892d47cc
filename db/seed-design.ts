/**
 * Reads the SQL of the seed design (docs/database-schema-design.md, a copy of
 * ../shared/seed/database-schema-design.md kept in the repository so a lone clone can test) into a small model (tables, columns,
 * foreign keys, unique sets, indexes) so the schema test can hold the live catalog against the
 * design document itself rather than against a copy of it.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface SeedColumn {
  name: string;
  type: string; // as format_type() prints it
  notNull: boolean;
  default?: string; // as pg_get_expr() prints it
}
export interface SeedForeignKey {
  column: string;
  references: string; // "users(id)"
  onDeleteCascade: boolean;
}
export interface SeedTable {
  name: string;
  columns: SeedColumn[];
  primaryKey?: string;
  uniques: string[][];
  foreignKeys: SeedForeignKey[];
}
export interface SeedIndex {
  table: string;
  unique: boolean;
  columns: string; // "symbol, time DESC"
  where?: string;
}
export interface SeedDesign {
  tables: SeedTable[];
  indexes: SeedIndex[];
}

export const SEED_DESIGN_PATH = fileURLToPath(new URL("../docs/database-schema-design.md", import.meta.url));
/** The original beside the checkout (as CI lays it out); the copy must not drift from it. */
export const SHARED_SEED_DESIGN_PATH = fileURLToPath(
  new URL("../../shared/seed/database-schema-design.md", import.meta.url),
);

const TYPES: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^UUID$/i, () => "uuid"],
  [/^VARCHAR\((\d+)\)$/i, (m) => `character varying(${m[1]})`],
  [/^TEXT$/i, () => "text"],
  [/^TIMESTAMPTZ$/i, () => "timestamp with time zone"],
  [/^JSONB$/i, () => "jsonb"],
  [/^BOOLEAN$/i, () => "boolean"],
  [/^INTEGER$/i, () => "integer"],
  [/^BIGINT$/i, () => "bigint"],
  [/^DOUBLE PRECISION$/i, () => "double precision"],
];

function pgType(raw: string): string {
  for (const [re, f] of TYPES) {
    const m = re.exec(raw.trim());
    if (m) return f(m);
  }
  throw new Error(`seed-design: unknown SQL type ${raw}`);
}

function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of body) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter(Boolean);
}

const KEYWORDS = /\s+(PRIMARY KEY|NOT NULL|UNIQUE|DEFAULT|REFERENCES)\b/i;

export function parseSeedDesign(markdown: string): SeedDesign {
  const sql = [...markdown.matchAll(/```sql\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .join("\n")
    .replace(/--[^\n]*/g, "");
  const tables: SeedTable[] = [];
  for (const m of sql.matchAll(/CREATE TABLE (\w+) \(([\s\S]*?)\n\);/g)) {
    const table: SeedTable = { name: m[1]!, columns: [], uniques: [], foreignKeys: [] };
    for (const part of splitTopLevel(m[2]!)) {
      const tableUnique = /^UNIQUE \(([^)]+)\)$/i.exec(part);
      const tableFk = /^FOREIGN KEY \((\w+)\) REFERENCES (\w+\(\w+\))(.*)$/i.exec(part);
      if (tableUnique) {
        table.uniques.push(tableUnique[1]!.split(",").map((c) => c.trim()));
        continue;
      }
      if (tableFk) {
        table.foreignKeys.push({
          column: tableFk[1]!,
          references: tableFk[2]!,
          onDeleteCascade: /ON DELETE CASCADE/i.test(tableFk[3]!),
        });
        continue;
      }
      const [, name, rest] = /^(\w+)\s+([\s\S]*)$/.exec(part)!;
      const typeEnd = rest!.search(KEYWORDS);
      const type = pgType(typeEnd < 0 ? rest! : rest!.slice(0, typeEnd));
      const flags = typeEnd < 0 ? "" : rest!.slice(typeEnd);
      const primary = /PRIMARY KEY/i.test(flags);
      const def = /DEFAULT\s+([\w()]+)/i.exec(flags)?.[1];
      table.columns.push({
        name: name!,
        type,
        notNull: primary || /NOT NULL/i.test(flags),
        ...(def ? { default: def.toLowerCase() } : {}),
      });
      if (primary) table.primaryKey = name;
      if (/\bUNIQUE\b/i.test(flags)) table.uniques.push([name!]);
      const ref = /REFERENCES (\w+\(\w+\))(\s+ON DELETE CASCADE)?/i.exec(flags);
      if (ref) table.foreignKeys.push({ column: name!, references: ref[1]!, onDeleteCascade: !!ref[2] });
    }
    tables.push(table);
  }
  const indexes: SeedIndex[] = [];
  for (const m of sql.matchAll(/CREATE (UNIQUE )?INDEX ON (\w+) \(([^)]+)\)(?: WHERE ([^;]+))?;/g)) {
    indexes.push({
      table: m[2]!,
      unique: !!m[1],
      columns: m[3]!.split(",").map((c) => c.trim()).join(", "),
      ...(m[4] ? { where: m[4].trim() } : {}),
    });
  }
  return { tables, indexes };
}

export function readSeedDesign(path = SEED_DESIGN_PATH): SeedDesign | undefined {
  return existsSync(path) ? parseSeedDesign(readFileSync(path, "utf8")) : undefined;
}
