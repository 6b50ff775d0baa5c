/**
 * The SDK may not import the app, so what it shares with the server is written twice: its types (generated
 * from the OpenAPI document), the job hash (RFC 8785 + SHA-256) and callback signatures. These hold each
 * copy to the app's own. (packages/sdk/test checks the same against a running server.)
 */
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson as sdkCanonical, jobHash as sdkJobHash, verifySignature as sdkVerify } from "@countersign/sdk";
import { openApiDocument } from "@/lib/api/openapi";
import { canonicalJson, jobHash } from "@/lib/policy/snapshot";
import { signatureHeader, verifySignature } from "@/lib/services/outbox/signature";
import { renderSchema } from "../packages/sdk/scripts/schema";

describe("the SDK's generated types", () => {
  it("src/schema.d.ts is what the app's OpenAPI document generates (else: npm run generate -w @countersign/sdk)", async () => {
    const committed = fs.readFileSync(path.resolve(import.meta.dirname, "../packages/sdk/src/schema.d.ts"), "utf8");
    expect(await renderSchema(openApiDocument()), "packages/sdk/src/schema.d.ts is stale: run `npm run generate -w @countersign/sdk`").toBe(committed);
  }, 60_000);
});

const text = fc.oneof(fc.string({ unit: "grapheme", maxLength: 10 }), fc.string({ unit: "binary-ascii", maxLength: 6 }), fc.constantFrom("\u{1F600}", "\uFFFF", "é", ""));
const { json } = fc.letrec((tie) => ({
  json: fc.oneof({ depthSize: "small" }, fc.constant(null), fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), text, tie("array"), tie("object")),
  array: fc.array(tie("json"), { maxLength: 4 }),
  object: fc.dictionary(text, tie("json"), { maxKeys: 5 }),
}));

describe("the SDK's job hash", () => {
  it("canonical JSON is the app's, byte for byte", () => {
    fc.assert(
      fc.property(json, (v) => {
        expect(sdkCanonical(v)).toBe(canonicalJson(v));
      }),
      { numRuns: 3000 },
    );
  });

  it("jobHash is the app's job_hash (tags sorted and unique)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(text, json, { maxKeys: 6 }), fc.array(fc.constantFrom("prod", "write", "a-b", "z_9"), { maxLength: 5 }), async (payload, risk_tags) => {
        const job = { topic: "job.x.read", risk_tags, payload };
        expect(await sdkJobHash(job)).toBe(jobHash(job));
      }),
      { numRuns: 500 },
    );
  });
});

describe("the SDK's verifySignature", () => {
  const secret = fc.string({ minLength: 1, maxLength: 40 });
  it("agrees with the app's on signed, tampered, re-timed and malformed headers", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(secret, { minLength: 1, maxLength: 2 }),
        secret,
        fc.string({ unit: "grapheme", maxLength: 200 }),
        fc.integer({ min: 1_600_000_000, max: 2_000_000_000 }),
        fc.integer({ min: -400, max: 400 }),
        fc.oneof(fc.constant("none"), fc.constant("body"), fc.constant("mac"), fc.constant("garbage")),
        async (signers, checker, body, t, skew, tamper) => {
          let header = signatureHeader(signers, t, body);
          let received = body;
          if (tamper === "body") received = `${body}x`;
          if (tamper === "mac") header = header.replace(/v1=([0-9a-f])/, (_, c: string) => `v1=${c === "0" ? "1" : "0"}`);
          if (tamper === "garbage") header = `t=${t},v1=${"z".repeat(64)},${body.slice(0, 10)}`;
          for (const s of [...signers, checker]) {
            const app = verifySignature(header, received, s, t + skew);
            expect(await sdkVerify(s, header, received, { nowSec: t + skew })).toBe(app);
          }
          const any = [...signers, checker].some((s) => verifySignature(header, received, s, t + skew));
          expect(await sdkVerify([...signers, checker], header, received, { nowSec: t + skew })).toBe(any);
        },
      ),
      { numRuns: 300 },
    );
  });
});
