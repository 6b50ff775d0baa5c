import { describe, expect, it } from "vitest";
import { addTopicGlob, createTopicTrie, matchTopic } from "./glob";

function matches(glob: string, topic: string): boolean {
  const trie = createTopicTrie();
  addTopicGlob(trie, glob, 0);
  return matchTopic(trie, topic).includes(0);
}

describe("topic globs", () => {
  it.each([
    // `*` is exactly one segment
    ["job.deploy.*", "job.deploy", false],
    ["job.deploy.*", "job.deploy.web", true],
    ["job.deploy.*", "job.deploy.web.eu", false],
    // `**` is one or more segments
    ["job.**", "job", false],
    ["job.**", "job.deploy", true],
    ["job.**", "job.deploy.web", true],
    ["job.**", "job.deploy.web.eu", true],
    ["**", "job", true],
    ["**", "job.deploy.web", true],
    ["job.**.read", "job.read", false],
    ["job.**.read", "job.db.read", true],
    ["job.**.read", "job.db.replica.read", true],
    ["job.**.read", "job.db.replica.write", false],
    ["**.read", "read", false],
    ["**.read", "job.read", true],
    ["job.**.**", "job.a", false],
    ["job.**.**", "job.a.b", true],
    ["*.*", "job.db", true],
    ["*.*", "job", false],
    ["job.*.read", "job.db.read", true],
    ["job.*.read", "job.db.write", false],
    ["job.db.read", "job.db.read", true],
    ["job.db.read", "job.db.reader", false],
    ["job.db", "job.db.read", false],
  ])("%s on %s: %s", (glob, topic, expected) => {
    expect(matches(glob, topic)).toBe(expected);
  });

  it("returns every rule whose glob matches, from one trie", () => {
    const trie = createTopicTrie();
    ["job.deploy.*", "job.**", "job.deploy.web", "other.*"].forEach((g, i) => addTopicGlob(trie, g, i));
    expect(matchTopic(trie, "job.deploy.web").sort()).toEqual([0, 1, 2]);
    expect(matchTopic(trie, "job.deploy")).toEqual([1]);
    expect(matchTopic(trie, "nothing.here")).toEqual([]);
  });

  it("stays linear with many globstars on a long topic", () => {
    const trie = createTopicTrie();
    addTopicGlob(trie, "**.**.**.**.**.**.**.**.z", 0);
    const topic = Array.from({ length: 90 }, () => "a").join(".");
    expect(matchTopic(trie, topic)).toEqual([]);
    expect(matchTopic(trie, `${topic}.z`)).toEqual([0]);
  });
});
