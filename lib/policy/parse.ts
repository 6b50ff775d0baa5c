import { isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import { inexactNumber } from "@/lib/numbers";
import { isStorable } from "@/lib/text";
import type { z } from "zod";
import { policySchema } from "./schema";
import type { Policy } from "./types";
import { formatPath, type IssuePath, locate, locateInScalar } from "./yaml-location";

export { policySchema } from "./schema";

/** One problem in an uploaded policy; line and column are 1-based. */
export interface PolicyIssue {
  path: string;
  message: string;
  line: number;
  column: number;
}

export type ParsePolicyResult = { ok: true; policy: Policy } | { ok: false; errors: PolicyIssue[] };

type Doc = ReturnType<typeof parseDocument>;

function byPosition(a: PolicyIssue, b: PolicyIssue): number {
  return a.line - b.line || a.column - b.column || a.path.localeCompare(b.path);
}

function syntaxIssues(doc: Doc): PolicyIssue[] {
  return doc.errors.map((e) => {
    const pos = e.linePos?.[0];
    // The library appends " at line L, column C:" and a code frame; line and column are fields here.
    const message = (e.message.split("\n")[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, "");
    return { path: "", message, line: pos?.line ?? 1, column: pos?.col ?? 1 };
  });
}

function schemaIssues(doc: Doc, lines: LineCounter, text: string, issues: readonly z.core.$ZodIssue[]): PolicyIssue[] {
  const out: PolicyIssue[] = [];
  for (const issue of issues) {
    const path: IssuePath = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    if (issue.code === "unrecognized_keys") {
      // One issue per key, placed on the key itself, so the editor can underline each.
      for (const key of issue.keys) {
        const keyPath = [...path, key];
        out.push({ path: formatPath(keyPath), message: `unknown key "${key}"`, ...locate(doc, lines, keyPath, true) });
      }
      continue;
    }
    const whenOffset = issue.code === "custom" ? (issue.params as { whenOffset?: number } | undefined)?.whenOffset : undefined;
    const where = whenOffset === undefined ? locate(doc, lines, path) : locateInScalar(doc, lines, text, path, whenOffset);
    out.push({ path: formatPath(path), message: issue.message, ...where });
  }
  return out.sort(byPosition);
}

/** A NUL anywhere in the text (a comment too): the YAML itself is stored as text. */
function nulIssue(text: string): PolicyIssue | null {
  const at = text.indexOf("\u0000");
  if (at < 0) return null;
  const before = text.slice(0, at);
  return { path: "", message: "the policy may not contain the character U+0000", line: before.split("\n").length, column: at - before.lastIndexOf("\n") };
}

/** Strings that escapes ("\0", "\ud800") made unstorable, with where they are. Iterative. */
function valueIssues(doc: Doc, lines: LineCounter, root: unknown): PolicyIssue[] {
  const out: PolicyIssue[] = [];
  const stack: { value: unknown; path: IssuePath }[] = [{ value: root, path: [] }];
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (typeof value === "string") {
      if (!isStorable(value)) out.push({ path: formatPath(path), message: "may not contain U+0000 or unpaired surrogates", ...locate(doc, lines, path) });
    } else if (value !== null && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) {
        const childPath: IssuePath = [...path, Array.isArray(value) ? Number(key) : key];
        if (!isStorable(key)) out.push({ path: formatPath(childPath), message: "keys may not contain U+0000 or unpaired surrogates", ...locate(doc, lines, childPath, true) });
        stack.push({ value: child, path: childPath });
      }
    }
  }
  return out;
}

/**
 * Numbers that YAML reads and JSON cannot carry exactly (12345678901234567890 read as
 * 12345678901234567000, 1e-400 as 0, .inf, .nan), keys too: refused as request bodies are, so the
 * snapshot hashes what the author wrote. Walks the document's nodes, which keep each number's source.
 */
function numberIssues(doc: Doc, lines: LineCounter): PolicyIssue[] {
  const out: PolicyIssue[] = [];
  const check = (node: unknown, path: IssuePath) => {
    if (!isScalar(node) || typeof node.value !== "number") return;
    const source = node.source ?? String(node.value);
    const why = inexactNumber(node.value, source);
    if (!why) return;
    const { line, col } = lines.linePos(node.range?.[0] ?? 0);
    out.push({ path: formatPath(path), message: `the number ${source.slice(0, 40)} ${why}`, line, column: col });
  };
  const stack: { node: unknown; path: IssuePath }[] = [{ node: doc.contents, path: [] }];
  while (stack.length) {
    const { node, path } = stack.pop()!;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        // A numeric key is named as written (its value is what was rounded).
        check(pair.key, [...path, isScalar(pair.key) ? (pair.key.source ?? key) : key]);
        stack.push({ node: pair.value, path: [...path, key] });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => stack.push({ node: item, path: [...path, i] }));
    } else {
      check(node, path);
    }
  }
  return out;
}

export type ParseYamlResult<T> = { ok: true; value: T } | { ok: false; errors: PolicyIssue[] };

/**
 * Reads a YAML document and validates it with `schema`, every problem placed at its line and column.
 * Shared by policies and policy tests, so both refuse the same YAML the same way.
 */
export function parseYamlWith<S extends z.ZodType>(text: string, schema: S): ParseYamlResult<z.output<S>> {
  const nul = nulIssue(text);
  if (nul) return { ok: false, errors: [nul] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { keepSourceTokens: true, lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) return { ok: false, errors: syntaxIssues(doc).sort(byPosition) };

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // Alias bombs and similar are refused rather than expanded.
    return { ok: false, errors: [{ path: "", message: err instanceof Error ? err.message : String(err), line: 1, column: 1 }] };
  }

  const unstorableText = [...valueIssues(doc, lineCounter, raw), ...numberIssues(doc, lineCounter)];
  if (unstorableText.length > 0) return { ok: false, errors: unstorableText.sort(byPosition) };

  const result = schema.safeParse(raw);
  if (!result.success) return { ok: false, errors: schemaIssues(doc, lineCounter, text, result.error.issues) };
  return { ok: true, value: result.data };
}

/**
 * Parses and validates a policy YAML. A policy is accepted whole or refused whole: every problem
 * found is returned with its line and column, and nothing partial is ever produced.
 */
export function parsePolicy(text: string): ParsePolicyResult {
  const result = parseYamlWith(text, policySchema);
  return result.ok ? { ok: true, policy: result.value } : result;
}

/** One issue a line: `12:5 rules[2].decision: must be one of ...`. */
export function formatIssues(errors: PolicyIssue[]): string {
  return errors.map((e) => `${e.line}:${e.column} ${e.path === "" ? "(document)" : e.path}: ${e.message}`).join("\n");
}
