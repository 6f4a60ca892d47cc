/** What turns texts into memory vectors: the local lexical embedder or an OpenAI-compatible endpoint. */
export interface Embedder {
  /** Stored with each memory: memories embedded by different models are never compared. */
  readonly model: string;
  /** "lexical": word and character n-grams, no meaning; "remote": an embeddings endpoint. */
  readonly kind: "lexical" | "remote";
  /** One vector of MEMORY_DIMENSIONS numbers per text, in order. */
  embed(texts: string[]): Promise<Float32Array[]>;
}
