DROP INDEX "audit_events_unsealed_idx";--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "key_id" text;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "nonce" text;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "mac" text;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "seal_mac" text;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "rejected" text;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_events_nonce_uq" ON "audit_events" USING btree ("nonce");--> statement-breakpoint
CREATE INDEX "audit_events_rejected_idx" ON "audit_events" USING btree ("tenant_id","id") WHERE "audit_events"."rejected" is not null;--> statement-breakpoint
CREATE INDEX "audit_events_unsealed_idx" ON "audit_events" USING btree ("tenant_id","id") WHERE "audit_events"."hash" is null and "audit_events"."rejected" is null;