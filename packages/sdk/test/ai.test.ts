import { DeniedError, PendingError } from "@countersign/sdk";
import { gatedTool } from "@countersign/sdk/ai";
import { generateText, stepCountIs, tool } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { makeTenant, uniq, type Reviewer, type Tenant } from "./server.js";

let t: Tenant;
let reviewer: Reviewer;

beforeAll(async () => {
  t = await makeTenant("ai");
  reviewer = await t.reviewer();
});

const call = { toolCallId: "call-1", messages: [] };

/** A real AI SDK tool that counts its runs. */
function counted(topicPart: string) {
  const runs: unknown[] = [];
  const base = tool({
    description: `Change the ${topicPart} setting`,
    inputSchema: z.object({ key: z.string(), value: z.number() }),
    execute: async (input) => {
      runs.push(input);
      return { applied: `${input.key}=${input.value}` };
    },
  });
  return { base, runs };
}

describe("gatedTool (Vercel AI SDK)", () => {
  it("allowed: execute runs at once and its result is the tool's; the job completes succeeded", async () => {
    const { base, runs } = counted("read");
    const gated = gatedTool(base, { client: t.client, topic: "sdk.settings.read", risk_tags: ["read"] });
    expect(gated.description).toBe(base.description);
    expect(gated.inputSchema).toBe(base.inputSchema);
    const input = { key: "timeout", value: Number.parseInt(uniq(), 16) };
    expect(await gated.execute!(input, call)).toEqual({ applied: `timeout=${input.value}` });
    expect(runs).toEqual([input]);
    const [job] = await t.client.findJobs({ job_hash: await t.client.jobHash({ topic: "sdk.settings.read", risk_tags: ["read"], payload: input }) });
    expect(job!.job.state).toBe("SUCCEEDED");
    expect(job!.job.description).toBe("Change the read setting");
  });

  it("denied: execute never runs; the error names the decision and the reason", async () => {
    const { base, runs } = counted("drop");
    const gated = gatedTool(base, { client: t.client, topic: "sdk.settings.drop" });
    const err = await Promise.resolve(gated.execute!({ key: "all", value: 1 }, call)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeniedError);
    expect((err as Error).message).toMatch(/Denied by policy rule no-drop: Dropping data is never allowed/);
    expect(runs).toEqual([]);
  });

  it("pending at the hold, then approved: calling again with the same input runs the same job once", async () => {
    const { base, runs } = counted("change");
    const gated = gatedTool(base, { client: t.client, topic: "sdk.settings.change", title: (i) => `Set ${i.key}`, timeoutMs: 800 });
    const input = { key: "retries", value: Number.parseInt(uniq(), 16) };
    const first = await Promise.resolve(gated.execute!(input, call)).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(PendingError);
    expect((first as Error).message).toMatch(/Still awaiting approval \(1 more of reviewer\)/);
    const id = (first as PendingError).job!.job.id;
    expect((first as PendingError).job!.job.title).toBe("Set retries");
    expect(runs).toEqual([]);

    expect((await reviewer.vote(id, "approve", "fine")).status).toBe(200);
    expect(await gated.execute!(input, { ...call, toolCallId: "call-2" })).toEqual({ applied: `retries=${input.value}` });
    expect(runs).toEqual([input]);
    expect((await t.client.get(id)).job.state).toBe("SUCCEEDED");
  });

  it("inside generateText, the model gets the refusal as the tool's error output", async () => {
    const { base, runs } = counted("drop");
    const model = new MockLanguageModelV3({
      doGenerate: [
        {
          content: [{ type: "tool-call", toolCallId: "c1", toolName: "dropSetting", input: JSON.stringify({ key: "all", value: 1 }) }],
          finishReason: { unified: "tool-calls", raw: undefined },
          usage: { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } },
          warnings: [],
        },
        {
          content: [{ type: "text", text: "I may not drop it." }],
          finishReason: { unified: "stop", raw: undefined },
          usage: { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } },
          warnings: [],
        },
      ],
    });
    const result = await generateText({
      model,
      prompt: "drop everything",
      tools: { dropSetting: gatedTool(base, { client: t.client, topic: "sdk.settings.drop" }) },
      stopWhen: stepCountIs(2),
    });
    expect(runs).toEqual([]);
    expect(result.text).toBe("I may not drop it.");
    const toolMessage = JSON.stringify(model.doGenerateCalls[1]!.prompt.filter((m) => m.role === "tool"));
    expect(toolMessage).toContain("error-text");
    expect(toolMessage).toContain("Dropping data is never allowed");
  });
});
