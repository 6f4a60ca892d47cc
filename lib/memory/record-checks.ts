/**
 * What both stores refuse whoever calls them (the service checks the same with zod first, and that
 * the company is a known symbol): nothing of a refused batch is stored.
 */
import { MAX_CONTENT_LENGTH, MEMORY_TYPES, MemoryInputError, type MemoryPatch, type NewMemoryRecord } from "./types";
import { unitVector } from "./vectors";

const SYMBOL_SHAPE = /^[A-Z0-9][A-Z0-9._-]{0,19}$/;

export function checkContent(content: string): string {
  if (content.trim() === "") throw new MemoryInputError("A memory needs some content.");
  if (content.length > MAX_CONTENT_LENGTH) {
    throw new MemoryInputError(`A memory holds at most ${MAX_CONTENT_LENGTH.toLocaleString("en")} characters (this one has ${content.length.toLocaleString("en")}).`);
  }
  return content;
}

function checkType(type: string): void {
  if (!(MEMORY_TYPES as readonly string[]).includes(type)) throw new MemoryInputError(`Unknown memory type "${type}": use ${MEMORY_TYPES.join(", ")}.`);
}

function checkCompany(company: string | null): void {
  if (company !== null && !SYMBOL_SHAPE.test(company)) throw new MemoryInputError(`"${company}" is not a symbol.`);
}

function checkModel(model: string): void {
  if (model.trim() === "" || model.length > 200) throw new MemoryInputError("The embedding model's name must be 1 to 200 characters.");
}

/** The record as it will be stored: checked, its vector at unit length, an id and a time chosen. */
export function checkRecord(record: NewMemoryRecord): Required<NewMemoryRecord> {
  checkContent(record.content);
  checkType(record.memoryType);
  checkCompany(record.company);
  checkModel(record.model);
  if (record.timestamp && Number.isNaN(record.timestamp.getTime())) throw new MemoryInputError("The memory's time is not a valid date.");
  return {
    ...record,
    id: record.id ?? crypto.randomUUID(),
    timestamp: new Date(record.timestamp?.getTime() ?? Date.now()),
    vector: unitVector(record.vector, "memory's vector"),
  };
}

export function checkPatch(patch: MemoryPatch): MemoryPatch {
  if (patch.memoryType !== undefined) checkType(patch.memoryType);
  if (patch.company !== undefined) checkCompany(patch.company);
  if (patch.content === undefined) return patch;
  checkContent(patch.content.text);
  checkModel(patch.content.model);
  return { ...patch, content: { ...patch.content, vector: unitVector(patch.content.vector, "memory's vector") } };
}
