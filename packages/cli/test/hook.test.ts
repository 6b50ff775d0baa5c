/**
 * The Claude Code hook (DESIGN §7.2) as Claude Code runs it: a process per tool call, the hook's JSON
 * on stdin, the documented output on stdout, exit code 0, against a real Countersign server.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { BASE, CLI, makeWorld, stateDir, type World } from "./world";

const POLICY = `version: v1
defaults:
  decision: require_approval
  approvers: { roles: [reviewer], count: 1 }
rules:
  - id: shell-ok
    match: { topics: ["claude.bash"] }
    decision: allow
  - id: no-writes
    match: { topics: ["claude.write"] }
    decision: deny
    reason: Agents do not write files here
`;

let w: World;
const dir = stateDir();
beforeAll(async () => {
  w = await makeWorld("hook", POLICY);
});

function hook(input: unknown, args: string[] = [], env: Record<string, string> = {}): Promise<{ code: number | null; out: any; stderr: string }> {
  return new Promise((resolve, reject) => {
    const vars: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", COUNTERSIGN_URL: BASE, COUNTERSIGN_TOKEN: w.agent, COUNTERSIGN_STATE_DIR: dir, ...env };
    const child = spawn(process.execPath, [CLI, "hook", "claude-code", ...args], {
      env: vars as unknown as NodeJS.ProcessEnv,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, out: JSON.parse(out), stderr }));
    child.stdin.end(JSON.stringify(input));
  });
}

/** A PreToolUse input as Claude Code sends it (code.claude.com/docs/en/hooks). */
const preToolUse = (tool_name: string, tool_input: Record<string, unknown>, session = `sess-${randomBytes(4).toString("hex")}`) => ({
  session_id: session,
  transcript_path: `/home/dev/.claude/projects/demo/${session}.jsonl`,
  cwd: "/home/dev/demo",
  permission_mode: "default",
  hook_event_name: "PreToolUse",
  tool_name,
  tool_input,
  tool_use_id: `toolu_${randomBytes(8).toString("hex")}`,
});

const decision = (out: any) => out.hookSpecificOutput;

describe("countersign hook claude-code", () => {
  it("allows a Bash call the policy allows, claims the job, and --post completes it with the tool's outcome", async () => {
    const input = preToolUse("Bash", { command: `ls -la ${randomBytes(3).toString("hex")}`, description: "List files" });
    const pre = await hook(input);
    expect(pre.code).toBe(0);
    expect(decision(pre.out)).toMatchObject({ hookEventName: "PreToolUse", permissionDecision: "allow" });
    const [job] = await w.jobs({ topic: "claude.bash" }).then((all) => all.filter((j) => j.job.payload.tool_input.command === input.tool_input.command));
    expect(job.job.state).toBe("RUNNING");
    expect(job.job.payload).toEqual({ tool_input: input.tool_input, cwd: input.cwd });
    expect(job.job.labels).toEqual({ session_id: input.session_id });
    expect(decision(pre.out).permissionDecisionReason).toContain(job.job.id);

    const post = await hook({ ...input, hook_event_name: "PostToolUse", tool_response: { stdout: "total 0", stderr: "", interrupted: false, isImage: false } }, ["--post"]);
    expect(post.code).toBe(0);
    expect(post.out).toEqual({});
    expect((await w.jobs({ topic: "claude.bash" })).find((j) => j.job.id === job.job.id).job.state).toBe("SUCCEEDED");
  });

  it("a failed tool (PostToolUseFailure) completes the job failed", async () => {
    const input = preToolUse("Bash", { command: `false ${randomBytes(3).toString("hex")}` });
    expect(decision((await hook(input)).out).permissionDecision).toBe("allow");
    const post = await hook({ ...input, hook_event_name: "PostToolUseFailure", error: "Command failed with exit code 1", is_interrupt: false }, ["--post"]);
    expect(post.code).toBe(0);
    const job = (await w.jobs({ topic: "claude.bash" })).find((j) => j.job.payload.tool_input.command === input.tool_input.command);
    expect(job.job.state).toBe("FAILED");
  });

  it("denies a Write the policy denies, with the reason and the job id", async () => {
    const res = await hook(preToolUse("Write", { file_path: "/home/dev/demo/x.txt", content: "hi" }));
    expect(res.code).toBe(0);
    const d = decision(res.out);
    expect(d.permissionDecision).toBe("deny");
    expect(d.permissionDecisionReason).toContain("Agents do not write files here");
    const [job] = await w.jobs({ topic: "claude.write" });
    expect(job.job.state).toBe("DENIED");
    expect(d.permissionDecisionReason).toContain(job.job.id);
  });

  it("denies while pending, with the console link; the same call after approval is allowed on the same job", async () => {
    const input = preToolUse("mcp__github__create_issue", { repo: "acme/api", title: `Bug ${randomBytes(3).toString("hex")}` });
    const first = await hook(input, ["--hold", "1s"]);
    const d = decision(first.out);
    expect(d.permissionDecision).toBe("deny");
    const [job] = await w.jobs({ topic: "claude.mcp.github.create_issue" }).then((all) => all.filter((j) => j.job.payload.tool_input.title === input.tool_input.title));
    expect(job.job.state).toBe("APPROVAL");
    expect(d.permissionDecisionReason).toContain(`${BASE}/jobs/${job.job.id}`);
    expect(d.permissionDecisionReason).toContain("make the same call again");
    await w.approve(job.job.id);
    const second = await hook({ ...input, tool_use_id: "toolu_again" }, ["--hold", "1s"]);
    expect(decision(second.out).permissionDecision).toBe("allow");
    expect(decision(second.out).permissionDecisionReason).toContain(job.job.id);
  });

  it("denies when Countersign cannot be reached (fail closed), exit code 0", async () => {
    const res = await hook(preToolUse("Bash", { command: "rm -rf /tmp/x" }), [], { COUNTERSIGN_URL: "http://127.0.0.1:9" });
    expect(res.code).toBe(0);
    expect(decision(res.out).permissionDecision).toBe("deny");
    expect(decision(res.out).permissionDecisionReason).toContain("could not be reached");
  });
});
