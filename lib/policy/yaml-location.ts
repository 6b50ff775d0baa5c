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
