-- The memory store on PostgreSQL (issue 12): what the seed's user_memories row lacks, in tables of our own.
-- The embedding model that made each memory's vector: memories embedded by different models are never
-- compared, and `npm run memory:reembed` finds the ones to redo.
CREATE TABLE user_memory_models (
    memory_id  UUID PRIMARY KEY,
    user_id    UUID NOT NULL,
    model      VARCHAR(200) NOT NULL,
    CONSTRAINT user_memory_models_memory_id_user_memories_id_fk FOREIGN KEY (memory_id) REFERENCES user_memories(id) ON DELETE CASCADE,
    CONSTRAINT user_memory_models_user_id_users_id_fk FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE INDEX user_memory_models_user_id_model_idx ON user_memory_models (user_id, model);
--> statement-breakpoint
-- A counter per user, raised in the transaction of every write to their memories (lib/memory/postgres-store.ts):
-- an app instance keeps a user's vectors in memory for searching and reloads them only when it moved.
CREATE TABLE user_memory_versions (
    user_id  UUID PRIMARY KEY,
    version  BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT user_memory_versions_user_id_users_id_fk FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
);
