// The `countersign` command. Each subcommand loads only what it needs: the hook runs on every tool call
// of a coding agent, so it must not pay for the MCP SDK.
const USAGE = `usage:
  countersign mcp --config FILE [--http PORT] [--host HOST]   an MCP gateway in front of the configured servers
  countersign hook claude-code [--post] [--hold 50s]          a Claude Code PreToolUse / PostToolUse hook
  countersign audit verify --checkpoints FILE [--public-key KEY] [--tenant T]
                                                              the audit chain against the signed checkpoint log
                                                              (COUNTERSIGN_URL, COUNTERSIGN_TOKEN with audit:read)
  countersign policy test POLICY_FILE TESTS_FILE              run policy tests locally (no server): one line a case,
                                                              exit 1 on any failure`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "mcp") return (await import("./mcp/run.js")).runMcp(rest);
  if (command === "hook") return (await import("./hook/claude-code.js")).runHook(rest);
  if (command === "audit") return (await import("./audit.js")).runAudit(rest);
  if (command === "policy") return (await import("./policy.js")).runPolicy(rest);
  process.stderr.write(`${USAGE}\n`);
  return command === undefined || command === "--help" || command === "-h" ? 0 : 2;
}
