-- Events are still inserted unsealed, and now neither sealed nor already rejected.
CREATE OR REPLACE FUNCTION countersign_audit_insert_unsealed() RETURNS trigger AS $$
BEGIN
  IF NEW.seq IS NOT NULL OR NEW.prev_hash IS NOT NULL OR NEW.hash IS NOT NULL OR NEW.seal_mac IS NOT NULL
     OR NEW.rejected IS NOT NULL THEN
    RAISE EXCEPTION 'audit events are inserted unsealed; only the sealer places them in the chain'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- An unsealed event is updated once by the sealer, without touching what it says or its MAC: either
-- sealed (seq, prev_hash, hash, seal_mac) or, when its MAC fails, rejected (a reason, and no place in
-- the chain). Everything else is refused.
CREATE OR REPLACE FUNCTION countersign_audit_seal_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.hash IS NULL AND OLD.rejected IS NULL
     AND NEW.id = OLD.id AND NEW.tenant_id = OLD.tenant_id
     AND NEW.type = OLD.type AND NEW.actor = OLD.actor AND NEW.job_id IS NOT DISTINCT FROM OLD.job_id
     AND NEW.data = OLD.data AND NEW.created_at = OLD.created_at
     AND NEW.key_id IS NOT DISTINCT FROM OLD.key_id AND NEW.nonce IS NOT DISTINCT FROM OLD.nonce
     AND NEW.mac IS NOT DISTINCT FROM OLD.mac THEN
    IF NEW.rejected IS NULL AND NEW.hash IS NOT NULL AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL
       AND NEW.seal_mac IS NOT NULL THEN
      RETURN NEW;
    END IF;
    IF NEW.rejected IS NOT NULL AND NEW.hash IS NULL AND NEW.seq IS NULL AND NEW.prev_hash IS NULL
       AND NEW.seal_mac IS NULL THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
