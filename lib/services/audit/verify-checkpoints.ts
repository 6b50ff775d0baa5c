import "server-only";
import type { KeyObject } from "node:crypto";
import { z } from "zod";
import type { Ctx } from "@/lib/services/context";
import { Invalid } from "@/lib/services/errors";
import { targetTenant } from "@/lib/services/provisioning/tenants";
import { checkpointTextLines } from "./checkpoint";
import { checkpointSigner, parsePublicKey } from "./keys";
import { verifyAudit, type AuditVerification } from "./verify-all";

export const VerifyAuditBody = z
  .object({
    checkpoints: z
      .string()
      .describe(
        "the JSON Lines text of a checkpoint log (COUNTERSIGN_CHECKPOINT_FILE). The whole body is at most 256 KiB (about 1,000 checkpoints): split a longer log and send each part, or verify it on the server with `npm run audit:verify -- --checkpoints FILE`",
      ),
    public_key: z
      .string()
      .min(1)
      .max(4096)
      .optional()
      .describe("the Ed25519 public key that signed the checkpoints, PEM or base64 DER (SPKI, as the server prints at start); default: this server's own"),
  })
  .strict();
export type VerifyAuditBody = z.infer<typeof VerifyAuditBody>;

function publicKeyOf(text: string | undefined): KeyObject {
  if (text === undefined) return checkpointSigner().publicKey;
  // A private key would parse too (its public half is derived), but it has no business travelling here.
  if (/PRIVATE KEY/.test(text)) throw new Invalid("public_key holds a private key: send the public key only.", [{ path: "public_key", message: "a private key, not a public key" }]);
  try {
    return parsePublicKey(text);
  } catch (err) {
    const message = err instanceof Error && /Ed25519/.test(err.message) ? err.message : "not a PEM or base64 DER (SPKI) public key";
    throw new Invalid(`public_key is not an Ed25519 public key: ${message}.`, [{ path: "public_key", message }]);
  }
}

/**
 * `POST /audit/verify`: the caller's chain (the installation admin's: every tenant's, or the one it
 * names) against the checkpoints it sends, as `npm run audit:verify -- --checkpoints FILE` does.
 */
export async function verifyAgainstCheckpoints({ ctx, input, tenant }: { ctx: Ctx; input: VerifyAuditBody; tenant?: string }): Promise<AuditVerification> {
  const publicKey = publicKeyOf(input.public_key);
  const only = ctx.principal.kind === "admin" && !tenant ? undefined : await targetTenant(ctx.db, ctx.principal, tenant);
  return verifyAudit(ctx.db, { tenant: only, checkpoints: { lines: checkpointTextLines(input.checkpoints), publicKey } });
}
