-- The runs list (lib/workflows/run-list.ts) reads a workflow's runs newest first by (executed_at, id) and
-- pages by that pair (keyset): this index gives the order exactly, ties included, so a later page is as cheap
-- as the first at 100,000 runs of one workflow. The seed's (workflow_id, executed_at DESC) index stays: the
-- seed design lists it.
CREATE INDEX workflow_execution_logs_workflow_id_executed_at_id_idx ON workflow_execution_logs (workflow_id, executed_at DESC, id DESC);
