import { jobHash } from "@countersign/sdk";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { makeTenant, type Tenant } from "./server.js";

let t: Tenant;

beforeAll(async () => {
  t = await makeTenant("hash");
});

// What the API accepts (I-JSON): no integers beyond 2^53 - 1 (so no 1e21: JCS's exponent form shows
// only in small numbers here), no unpaired surrogates, no __proto__
// key; strings and keys from all of Unicode (astral characters sort by UTF-16 code unit in RFC 8785).
// U+0000 is refused too (PostgreSQL's jsonb cannot hold it).
const text = fc
  .oneof(fc.string({ unit: "grapheme", maxLength: 12 }), fc.string({ unit: "binary-ascii", maxLength: 6 }), fc.constantFrom("", "é", "\u{1F600}", "\uFFFF", "\u001f\u007f"))
  .filter((s) => !s.includes("\u0000"));
const key = text.filter((k) => k !== "__proto__");
const number = fc.oneof(
  fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Number.isInteger(x) || Number.isSafeInteger(x)),
  fc.constantFrom(0, -0, 1e-7, 1.2345e-20, 5e-324, 0.1, 1 / 3, Number.MAX_SAFE_INTEGER),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small", withCrossShrink: true }, fc.constant(null), fc.boolean(), number, text, tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 4 }),
  object: fc.dictionary(key, tie("value"), { maxKeys: 5 }),
}));
const payload = fc.dictionary(key, value, { maxKeys: 6 });
const tags = fc.array(fc.constantFrom("prod", "write", "read", "egress", "a-b", "z_9"), { maxLength: 5 });

describe("jobHash", () => {
  it("is exactly the server's job_hash, over many generated jobs", async () => {
    await fc.assert(
      fc.asyncProperty(payload, tags, async (p, risk_tags) => {
        const job = { topic: "sdk.hash.read", risk_tags, payload: p };
        const res = await t.client.submit(job);
        expect(res.job_hash).toBe(await jobHash(job));
      }),
      { numRuns: 200 },
    );
  });
});
