import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inexactLiteral, jsonTextIssue } from "./json-text";

const duplicate = (text: string) => {
  const issue = jsonTextIssue(text);
  return issue?.kind === "duplicate_key" ? issue.text : null;
};

describe("duplicate keys", () => {
  it.each([
    ['{"a":1,"a":2}', "a"],
    ['{"topic":"job.repo.read","topic":"job.db.drop"}', "topic"],
    ['{"x":{"k":1,"k":2}}', "k"],
    ['[{"a":1},{"a":2,"b":{"c":[1,{"d":1,"d":2}]}}]', "d"],
    ['{"a":1,"\\u0061":2}', "a"],
    ['{"q\\"":1,"q\\"":2}', 'q"'],
    ['{"a":{"b":1},"a":[]}', "a"],
  ])("finds the repeated key in %s", (text, key) => {
    expect(duplicate(text)).toBe(key);
  });

  it.each([
    "{}",
    "[]",
    '{"a":1,"b":"a","c":{"a":"a"}}',
    '[{"a":1},{"a":2}]',
    '{"a":["a","a"],"b":{"a":{"a":1}}}',
    '{"s":"{\\"a\\":1,\\"a\\":2}"}',
    '{"a,b":1,"a":{"b":2}}',
    '"just a string"',
    "42",
  ])("finds none in %s", (text) => {
    expect(jsonTextIssue(text)).toBeNull();
  });

  it("names the path of the repeated key", () => {
    expect(jsonTextIssue('{"payload":{"items":[{"k":1},{"k":1,"k":2}]}}')).toMatchObject({ kind: "duplicate_key", path: "payload.items.1.k" });
  });
});

describe("numbers JSON cannot carry exactly (RFC 7493 §2.2)", () => {
  it.each([
    ["12345678901234567890", "beyond"],
    ["-12345678901234567890", "beyond"],
    ["9007199254740992", "beyond"], // 2^53: the first integer a double cannot tell from its neighbour
    ["-9007199254740992", "beyond"],
    ["9007199254740993", "beyond"],
    ["1e16", "beyond"], // an integer, written with an exponent
    ["1E300", "beyond"],
    ["123456789012345678.5", "beyond"],
    ["1e400", "overflows"],
    ["-1e400", "overflows"],
    ["1" + "0".repeat(400), "overflows"],
    ["1e-400", "underflows"],
    ["-2.5e-400", "underflows"],
    ["0." + "0".repeat(400) + "1", "underflows"],
  ])("%s is refused (%s)", (literal, why) => {
    expect(inexactLiteral(literal)).toContain(why);
  });

  it.each([
    "0",
    "-0",
    "0.0",
    "0e0",
    "0.000e-500", // zero written as zero is exact
    "1",
    "-1",
    "0.1",
    "3.141592653589793238462643383279", // more digits than a double holds, but not beyond its range
    "9007199254740991", // 2^53 − 1
    "-9007199254740991",
    "9007199254740991.0",
    "900719925474099.1",
    "1e15",
    "1.5e3",
    "1e-300",
    "5e-324", // the smallest subnormal: not zero
    "123456789012345", // 15 digits
    "1.7976931348623157e-308",
  ])("%s passes", (literal) => {
    expect(inexactLiteral(literal)).toBeNull();
  });

  it("names the path in the API's notation, with a hint to send a string", () => {
    const issue = jsonTextIssue('{"topic":"t","payload":{"amount":12345678901234567890}}');
    expect(issue).toEqual({
      kind: "inexact_number",
      path: "payload.amount",
      text: "12345678901234567890",
      message: "the number 12345678901234567890 is beyond ±(2^53−1), where JSON numbers stop being exact; send it as a string",
    });
    expect(jsonTextIssue('{"a":[1,2,{"b":[0,1e-400]}]}')?.path).toBe("a.2.b.1");
    expect(jsonTextIssue("1e400")?.path).toBe("");
    expect(jsonTextIssue('{"a\\"":{"\\u0062":[1e999]}}')?.path).toBe('a".b.0');
  });

  it("is not fooled by digits inside strings and keys", () => {
    expect(jsonTextIssue('{"12345678901234567890":"12345678901234567890","x":"1e400"}')).toBeNull();
  });
});

// Property: an independent serializer writes random JSON (keys and strings full of JSON's own
// punctuation and escapes, numbers exact or not, arbitrary whitespace) and notes where the first
// inexact number is; the scanner must name the same path, and nothing when there is none.
type Tree = { t: "num"; literal: string; bad: boolean } | { t: "str"; s: string } | { t: "lit"; s: string } | { t: "arr"; items: Tree[] } | { t: "obj"; entries: [string, Tree][] };

const tricky = fc.string({ unit: fc.constantFrom("a", '"', "\\", ",", ":", "{", "}", "[", "]", "-", "1", "e", " ", "\n", "é", "\u{1f4a5}"), maxLength: 6 });
const goodNumber = fc.oneof(
  fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }).map(String),
  fc.double({ min: -1e15, max: 1e15, noNaN: true }).map((d) => JSON.stringify(d)),
  fc.constantFrom("0.1", "-0", "1e-300", "5e-324", "1.5E3", "0.000e-999"),
);
const badNumber = fc.oneof(
  fc.bigInt({ min: 2n ** 53n, max: 2n ** 80n }).map((n) => String(n)),
  fc.bigInt({ min: -(2n ** 80n), max: -(2n ** 53n) }).map((n) => String(n)),
  fc.constantFrom("1e400", "-1e999", "1e-400", "-7E-999", "1e16", "123456789012345678.9"),
);
const ws = fc.constantFrom("", " ", "\n  ", "\t");

const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.oneof(goodNumber.map((literal) => ({ t: "num" as const, literal, bad: false })), badNumber.map((literal) => ({ t: "num" as const, literal, bad: true }))),
    tricky.map((s) => ({ t: "str" as const, s })),
    fc.constantFrom("true", "false", "null").map((s) => ({ t: "lit" as const, s })),
    fc.array(tie("tree"), { maxLength: 4 }).map((items) => ({ t: "arr" as const, items })),
    fc.uniqueArray(fc.tuple(tricky, tie("tree")), { maxLength: 4, selector: ([k]) => k }).map((entries) => ({ t: "obj" as const, entries })),
  ),
}));

function write(node: Tree, path: string[], out: { text: string; firstBad: string | null }, pad: string) {
  const at = (s: string) => (out.text += s);
  switch (node.t) {
    case "num":
      if (node.bad && out.firstBad === null) out.firstBad = path.join(".");
      return at(node.literal);
    case "str":
      return at(JSON.stringify(node.s));
    case "lit":
      return at(node.s);
    case "arr":
      at("[" + pad);
      node.items.forEach((item, i) => {
        if (i) at(pad + "," + pad);
        write(item, [...path, String(i)], out, pad);
      });
      return at(pad + "]");
    case "obj":
      at("{" + pad);
      node.entries.forEach(([k, v], i) => {
        if (i) at("," + pad);
        at(JSON.stringify(k) + pad + ":" + pad);
        write(v, [...path, k], out, pad);
      });
      return at(pad + "}");
  }
}

describe("the scanner against an independent writer", () => {
  it("names the first inexact number's path, and finds nothing in exact JSON", () => {
    fc.assert(
      fc.property(tree, ws, (t, pad) => {
        const out = { text: "", firstBad: null as string | null };
        write(t, [], out, pad);
        JSON.parse(out.text); // the writer wrote valid JSON
        const issue = jsonTextIssue(out.text);
        if (out.firstBad === null) expect(issue).toBeNull();
        else expect(issue).toMatchObject({ kind: "inexact_number", path: out.firstBad });
      }),
      { numRuns: 2_000 },
    );
  });
});
