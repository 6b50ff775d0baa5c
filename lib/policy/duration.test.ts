import { describe, expect, it } from "vitest";
import { DURATION_RE, parseDuration } from "./duration";

describe("parseDuration", () => {
  it.each([
    ["90s", 90],
    ["30m", 1800],
    ["4h", 14_400],
    ["7d", 604_800],
    ["1s", 1],
  ])("%s is %i seconds", (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
    expect(DURATION_RE.test(text)).toBe(true);
  });

  it.each(["", "0s", "05m", "1.5h", "1h30m", "10", "m", "-5m", "5 m", "5M", "2w", " 5m", "1234567890s"])(
    "refuses %j",
    (text) => {
      expect(() => parseDuration(text)).toThrow(/invalid duration/);
      expect(DURATION_RE.test(text)).toBe(false);
    },
  );
});
