/** The gateway's config and naming rules (DESIGN §7.1, §7.2), without a server. */
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../src/config";
import { claudeTopic, mcpTopic } from "../src/topics";

const ENV = { COUNTERSIGN_TOKEN: "cs_test", GH_TOKEN: "ghp_x" };
const refused = (yaml: string): string[] => {
  try {
    parseConfig(yaml, "gateway.yaml", ENV);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error("accepted");
};

describe("gateway.yaml", () => {
  it("reads the design's example, with ${ENV} in headers", () => {
    const c = parseConfig(
      `countersign: { url: http://localhost:8081/, token_env: COUNTERSIGN_TOKEN }
hold: 50s
on_behalf_of: ada@example.com
upstreams:
  - name: fs
    command: ["npx", "-y", "@modelcontextprotocol/server-filesystem", "/srv/data"]
    risk_tags: [prod]
    trust_annotations: false
    tools: { write_file: { risk_tags: [write] } }
    hide: [debug_eval]
  - name: gh
    url: https://mcp.example.com/mcp
    headers: { Authorization: "Bearer \${GH_TOKEN}" }
`,
      "gateway.yaml",
      ENV,
    );
    expect(c).toMatchObject({ url: "http://localhost:8081", consoleUrl: "http://localhost:8081", token: "cs_test", holdMs: 50_000, onBehalfOf: "ada@example.com" });
    expect(c.upstreams[1]!.headers).toEqual({ Authorization: "Bearer ghp_x" });
    expect(c.upstreams[0]!.tools).toEqual({ write_file: { risk_tags: ["write"] } });
  });

  it("refuses a hold above 55s, an unknown key and a bad upstream, each with its line and column", () => {
    expect(
      refused(`countersign: { url: http://localhost:8081 }
hold: 56s
upstreams:
  - name: Fs
    command: ["x"]
    colour: blue
  - name: both
    command: ["x"]
    url: http://localhost:9/mcp
  - name: neither
`),
    ).toEqual([
      "gateway.yaml:2:7: hold: at most 55s (one long poll, inside an MCP client's request timeout)",
      "gateway.yaml:4:11: upstreams[0].name: lowercase a-z 0-9 _ -",
      "gateway.yaml:6:5: upstreams[0].colour: unknown key",
      "gateway.yaml:9:10: upstreams[1].url: an upstream has `command` or `url`, not both",
      "gateway.yaml:10:11: upstreams[2].name: an upstream needs `command` (stdio) or `url` (streamable HTTP)",
    ]);
  });

  it("refuses YAML that does not parse, a missing token and a missing header variable", () => {
    expect(refused("countersign: { url: http://x\nupstreams: []\n")[0]).toMatch(/^gateway\.yaml:1:\d+: /);
    expect(
      refused(`countersign: { url: http://localhost:8081, token_env: NOPE }
upstreams:
  - name: gh
    url: https://mcp.example.com/mcp
    headers: { Authorization: "Bearer \${MISSING}" }
`),
    ).toEqual([
      "gateway.yaml:1:55: countersign.token_env: environment variable NOPE is not set (an agent token with jobs:submit, jobs:read, jobs:execute)",
      "gateway.yaml:5:31: upstreams[0].headers.Authorization: environment variable MISSING is not set",
    ]);
  });
});

describe("topics", () => {
  it("mcp.<upstream>.<tool>, lower-cased, other characters as _", () => {
    expect(mcpTopic("everything", "get-sum")).toBe("mcp.everything.get-sum");
    expect(mcpTopic("fs", "Write File.v2")).toBe("mcp.fs.write_file_v2");
  });
  it("claude.<tool> and claude.mcp.<server>.<tool>", () => {
    expect(claudeTopic("Bash")).toBe("claude.bash");
    expect(claudeTopic("Write")).toBe("claude.write");
    expect(claudeTopic("mcp__github__create_issue")).toBe("claude.mcp.github.create_issue");
    expect(claudeTopic("mcp__my.server__Do Thing")).toBe("claude.mcp.my_server.do_thing");
  });
});
