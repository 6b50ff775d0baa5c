-- The audit log is append-only. Events are inserted unsealed; the one update ever allowed is sealing:
-- giving an unsealed event its place in the chain (seq, prev_hash, hash) without touching what it says.
CREATE FUNCTION countersign_audit_insert_unsealed() RETURNS trigger AS $$
BEGIN
  IF NEW.seq IS NOT NULL OR NEW.prev_hash IS NOT NULL OR NEW.hash IS NOT NULL THEN
    RAISE EXCEPTION 'audit events are inserted unsealed; only the sealer places them in the chain'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE FUNCTION countersign_audit_seal_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.hash IS NULL AND NEW.hash IS NOT NULL AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL
       AND NEW.id = OLD.id AND NEW.tenant_id = OLD.tenant_id
       AND NEW.type = OLD.type AND NEW.actor = OLD.actor AND NEW.job_id IS NOT DISTINCT FROM OLD.job_id
       AND NEW.data = OLD.data AND NEW.created_at = OLD.created_at THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE FUNCTION countersign_audit_no_truncate() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only (TRUNCATE refused)', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- A chain head only moves forward and is never removed.
CREATE FUNCTION countersign_audit_head_forward_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.tenant_id = OLD.tenant_id AND NEW.seq > OLD.seq THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_heads only moves forward (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_events_insert_unsealed
  BEFORE INSERT ON audit_events
  FOR EACH ROW EXECUTE FUNCTION countersign_audit_insert_unsealed();
--> statement-breakpoint
CREATE TRIGGER audit_events_append_only
  BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION countersign_audit_seal_only();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate
  BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION countersign_audit_no_truncate();
--> statement-breakpoint
CREATE TRIGGER audit_heads_forward_only
  BEFORE UPDATE OR DELETE ON audit_heads
  FOR EACH ROW EXECUTE FUNCTION countersign_audit_head_forward_only();
--> statement-breakpoint
CREATE TRIGGER audit_heads_no_truncate
  BEFORE TRUNCATE ON audit_heads
  FOR EACH STATEMENT EXECUTE FUNCTION countersign_audit_no_truncate();
