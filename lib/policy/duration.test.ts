import { describe, expect, it } from "vitest";
import { DURATION_RE, MAX_DURATION_SEC, parseDuration, policyDurationSec } from "./duration";

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

describe("policyDurationSec", () => {
  it("caps a stored duration from before the 365d limit instead of making deadlines unstorable", () => {
    expect(policyDurationSec("365d")).toBe(MAX_DURATION_SEC);
    expect(policyDurationSec("3000000d")).toBe(MAX_DURATION_SEC);
    expect(policyDurationSec("999999999d")).toBe(MAX_DURATION_SEC);
    expect(policyDurationSec("4h")).toBe(14_400);
  });
});
