import { type Document, isMap, isNode, isScalar, isSeq, type LineCounter } from "yaml";

export type IssuePath = readonly (string | number)[];

function start(node: unknown): number | undefined {
  return isNode(node) ? node.range?.[0] : undefined;
}

// `key:` with nothing after it parses as an empty scalar sitting after the colon; pointing at the
// key reads better for the author.
function isEmptyScalar(node: unknown): boolean {
  return isScalar(node) && node.range !== undefined && node.range !== null && node.range[0] === node.range[1];
}

/**
 * Offset in the source of the node a validation path names. When the path goes further than the
 * document (a missing key), the deepest node that exists is used: the map the key is missing from.
 * With `atKey`, the last step's key is located rather than its value (for unknown keys).
 */
function locateOffset(doc: Document, path: IssuePath, atKey: boolean): number {
  let node: unknown = doc.contents;
  let offset = start(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const step = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
      if (!pair) break;
      const keyOffset = start(pair.key) ?? offset;
      if (atKey && i === path.length - 1) return keyOffset;
      node = pair.value;
      offset = isEmptyScalar(node) ? keyOffset : (start(node) ?? keyOffset);
    } else if (isSeq(node) && typeof step === "number") {
      const item: unknown = node.items[step];
      if (item === undefined) break;
      node = item;
      offset = start(item) ?? offset;
    } else {
      break;
    }
  }
  return offset;
}

export function locate(doc: Document, lines: LineCounter, path: IssuePath, atKey = false): { line: number; column: number } {
  const { line, col } = lines.linePos(locateOffset(doc, path, atKey));
  return { line, column: col };
}

/** `rules[1].match.topics[0]`; the root is "". */
export function formatPath(path: IssuePath): string {
  let out = "";
  for (const step of path) {
    out += typeof step === "number" ? `[${step}]` : out === "" ? step : `.${step}`;
  }
  return out;
}

function nodeAt(doc: Document, path: IssuePath): unknown {
  let node: unknown = doc.contents;
  for (const step of path) {
    if (isMap(node)) node = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step))?.value;
    else if (isSeq(node) && typeof step === "number") node = node.items[step];
    else return undefined;
  }
  return node;
}

/**
 * Where character `offset` of a string value sits in the source: exact for plain and quoted
 * one-line scalars and for `|` blocks, whose text is the source's; else the value's start (a folded
 * or escaped string no longer lines up with what was written).
 */
export function locateInScalar(doc: Document, lines: LineCounter, text: string, path: IssuePath, at: number): { line: number; column: number } {
  const fallback = locate(doc, lines, path);
  const node = nodeAt(doc, path);
  if (!isScalar(node) || typeof node.value !== "string" || !node.range) return fallback;
  const value = node.value;
  // "Unexpected end" points just past the last character written, not at a trailing newline.
  const offset = Math.min(at, value.trimEnd().length);
  const start = node.range[0];
  const pos = (n: number) => {
    const { line, col } = lines.linePos(n);
    return { line, column: col };
  };
  if (node.type === "PLAIN" || node.type === "QUOTE_SINGLE" || node.type === "QUOTE_DOUBLE") {
    const body = node.type === "PLAIN" ? start : start + 1;
    if (!value.includes("\n") && text.slice(body, body + value.length) === value) return pos(body + offset);
    return fallback;
  }
  if (node.type === "BLOCK_LITERAL") {
    const before = value.slice(0, offset);
    const lineIndex = before.split("\n").length - 1;
    const colInLine = offset - (before.lastIndexOf("\n") + 1);
    const sourceLines = text.slice(text.indexOf("\n", start) + 1).split("\n");
    const indent = /^ */.exec(sourceLines.find((l) => l.trim() !== "") ?? "")?.[0].length ?? 0;
    const wanted = value.split("\n")[lineIndex] ?? "";
    const src = sourceLines[lineIndex] ?? "";
    if (src.slice(indent, indent + wanted.length) !== wanted) return fallback;
    const lineStart = text.indexOf("\n", start) + 1 + sourceLines.slice(0, lineIndex).reduce((n, l) => n + l.length + 1, 0);
    return pos(lineStart + indent + colInLine);
  }
  return fallback;
}
