-- The payload is kept as the agent sent it (json keeps the text; jsonb re-sorted the keys), so the
-- reviewer reads it in the agent's order. Rows written before keep the order jsonb gave them.
ALTER TABLE "jobs" ALTER COLUMN "payload" SET DATA TYPE json;