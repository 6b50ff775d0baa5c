import { describe, expect, it } from "vitest";
import { duplicateKey } from "./body";

describe("duplicateKey", () => {
  it.each([
    ['{"a":1,"a":2}', "a"],
    ['{"topic":"job.repo.read","topic":"job.db.drop"}', "topic"],
    ['{"x":{"k":1,"k":2}}', "k"],
    ['[{"a":1},{"a":2,"b":{"c":[1,{"d":1,"d":2}]}}]', "d"],
    ['{"a":1,"\\u0061":2}', "a"],
    ['{"q\\"":1,"q\\"":2}', 'q"'],
    ['{"a":{"b":1},"a":[]}', "a"],
  ])("finds the repeated key in %s", (text, key) => {
    expect(duplicateKey(text)).toBe(key);
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
    expect(duplicateKey(text)).toBeNull();
  });
});
