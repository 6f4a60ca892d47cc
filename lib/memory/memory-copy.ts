/**
 * Memories in PostgreSQL's binary COPY format (user_memories: id, user_id, memory_type, company,
 * content, embedding, timestamp). Binary spares both sides 1,536 float-to-text conversions per memory
 * (layout: the PostgreSQL manual, "COPY … Binary Format" and array_send).
 */
import { MEMORY_DIMENSIONS } from "./types";

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const FLOAT4_OID = 700;
const FIELDS = 7;
export const COPY_COLUMNS = `id, user_id, memory_type, company, content, embedding, "timestamp"`;

export interface CopyRow {
  id: string;
  userId: string;
  memoryType: string;
  company: string | null;
  content: string;
  vector: Float32Array;
  timestamp: Date;
}

const uuidBytes = (id: string) => Buffer.from(id.replaceAll("-", ""), "hex");

function encodeRow(r: CopyRow): Buffer {
  const type = Buffer.from(r.memoryType, "utf8");
  const company = r.company === null ? null : Buffer.from(r.company, "utf8");
  const content = Buffer.from(r.content, "utf8");
  const arrayBytes = 20 + MEMORY_DIMENSIONS * 8;
  const size = 2 + (4 + 16) * 2 + 4 + type.length + 4 + (company?.length ?? 0) + 4 + content.length + 4 + arrayBytes + 4 + 8;
  const buf = Buffer.allocUnsafe(size);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let at = 0;
  view.setInt16(at, FIELDS);
  at += 2;
  for (const id of [r.id, r.userId]) {
    view.setInt32(at, 16);
    uuidBytes(id).copy(buf, at + 4);
    at += 20;
  }
  for (const text of [type, company, content]) {
    if (text === null) {
      view.setInt32(at, -1);
      at += 4;
      continue;
    }
    view.setInt32(at, text.length);
    text.copy(buf, at + 4);
    at += 4 + text.length;
  }
  view.setInt32(at, arrayBytes);
  view.setInt32(at + 4, 1); // dimensions
  view.setInt32(at + 8, 0); // no nulls
  view.setInt32(at + 12, FLOAT4_OID);
  view.setInt32(at + 16, MEMORY_DIMENSIONS);
  view.setInt32(at + 20, 1); // lower bound
  at += 24;
  for (let i = 0; i < MEMORY_DIMENSIONS; i++) {
    view.setInt32(at, 4);
    view.setFloat32(at + 4, r.vector[i]!);
    at += 8;
  }
  view.setInt32(at, 8);
  view.setBigInt64(at + 4, BigInt(r.timestamp.getTime() - PG_EPOCH_MS) * 1000n);
  at += 12;
  return buf;
}

export function* memoryCopyChunks(rows: readonly CopyRow[]): Generator<Buffer> {
  const header = Buffer.alloc(SIGNATURE.length + 8);
  SIGNATURE.copy(header, 0);
  yield header;
  for (const row of rows) yield encodeRow(row);
  const trailer = Buffer.alloc(2);
  trailer.writeInt16BE(-1, 0);
  yield trailer;
}

/**
 * A float4[] as array_send writes it (the bytea PostgreSQL gives for `array_send(embedding)`), or
 * null when it is not one-dimensional, holds nulls or has another length than MEMORY_DIMENSIONS.
 */
export function decodeFloat4Array(bytes: Buffer): Float32Array | null {
  if (bytes.length < 12) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getInt32(0) !== 1 || view.getInt32(4) !== 0 || view.getInt32(8) !== FLOAT4_OID) return null;
  if (view.getInt32(12) !== MEMORY_DIMENSIONS || bytes.length !== 20 + MEMORY_DIMENSIONS * 8) return null;
  const out = new Float32Array(MEMORY_DIMENSIONS);
  for (let i = 0, at = 24; i < MEMORY_DIMENSIONS; i++, at += 8) out[i] = view.getFloat32(at);
  return out;
}

/** A float4[] literal that reads back to exactly these float32 values. */
export function float4Literal(vector: Float32Array): string {
  return `{${Array.from(vector, (v) => String(v)).join(",")}}`;
}
