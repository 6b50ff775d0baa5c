-- Text as Buffer.toString("base64url") writes it (UTF-8, no padding): encode() wraps its output every
-- 76 characters and pads, both dropped. Queue cursors (lib/services/approvals/list.ts) and
-- notification ids (lib/services/jobs/insert.ts, matching notificationId in outbox/notify.ts) use it.
-- One SELECT of one expression and no stricter volatility than its body, so PostgreSQL inlines it.
CREATE FUNCTION countersign_base64url(t text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT translate(encode(convert_to(t, 'UTF8'), 'base64'), E'+/=\n', '-_')
$$;
