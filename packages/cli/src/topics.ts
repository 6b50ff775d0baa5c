// Topic naming for calls made through the gateway and the hooks (DESIGN §7.1, §7.2).

/** Lower-cased, every character outside `[a-z0-9_-]` as `_`: `get-sum` stays `get-sum`, `Read File` is `read_file`. */
export function topicSegment(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9_-]/g, "_");
  return s === "" ? "_" : s;
}

/** `mcp.<upstream>.<tool>`: the upstream's name is already `[a-z0-9_-]+`. */
export function mcpTopic(upstream: string, tool: string): string {
  return `mcp.${upstream}.${topicSegment(tool)}`;
}

/** `Bash` → `claude.bash`, `mcp__github__create_issue` → `claude.mcp.github.create_issue`. */
export function claudeTopic(toolName: string): string {
  const m = /^mcp__(.+?)__(.+)$/.exec(toolName);
  if (m) return `claude.mcp.${topicSegment(m[1]!)}.${topicSegment(m[2]!)}`;
  return `claude.${topicSegment(toolName)}`;
}
