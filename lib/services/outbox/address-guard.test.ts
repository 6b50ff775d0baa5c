import { describe, expect, it } from "vitest";
import { isInternalAddress, refuseLiteral } from "./address-guard";

describe("isInternalAddress", () => {
  it.each([
    ["127.0.0.1", true], ["10.1.2.3", true], ["172.16.0.1", true], ["172.31.255.255", true], ["192.168.1.1", true],
    ["169.254.169.254", true], ["100.64.0.1", true], ["0.0.0.0", true], ["::1", true], ["::", true], ["fe80::1", true],
    ["fd00::1", true], ["::ffff:127.0.0.1", true], ["::ffff:10.0.0.1", true], ["224.0.0.1", true],
    ["8.8.8.8", false], ["172.32.0.1", false], ["93.184.216.34", false], ["2606:4700::1111", false], ["::ffff:8.8.8.8", false],
    ["not-an-ip", true],
  ])("%s → %s", (address, internal) => {
    expect(isInternalAddress(address)).toBe(internal);
  });

  it("IP literals in URLs are judged directly (no lookup happens for them), allowlist by address", () => {
    expect(refuseLiteral("[::1]", new Set())).not.toBeNull();
    expect(refuseLiteral("127.0.0.1", new Set(["127.0.0.1"]))).toBeNull();
    expect(refuseLiteral("example.com", new Set())).toBeNull();
    expect(refuseLiteral("8.8.8.8", new Set())).toBeNull();
  });
});
