// Topic globs compiled into one segment trie, matched as an NFA: each topic segment is looked at
// once per live trie node, so cost follows the topic's length and the few live nodes, not the
// number of rules, and no pattern of `**`s can make it blow up.

interface TrieNode {
  literal: Map<string, TrieNode>;
  star: TrieNode | null;
  globstar: TrieNode | null;
  /** Reached through `**`: may swallow further segments (one or more in all). */
  loops: boolean;
  /** Indices of rules with a glob ending here. */
  rules: number[];
}

export interface TopicTrie {
  root: TrieNode;
}

function node(loops: boolean): TrieNode {
  return { literal: new Map(), star: null, globstar: null, loops, rules: [] };
}

export function createTopicTrie(): TopicTrie {
  return { root: node(false) };
}

/** Adds `glob` (dot-separated; `*` one segment, `**` one or more) for rule `ruleIndex`. */
export function addTopicGlob(trie: TopicTrie, glob: string, ruleIndex: number): void {
  let at = trie.root;
  for (const seg of glob.split(".")) {
    if (seg === "**") {
      at.globstar ??= node(true);
      at = at.globstar;
    } else if (seg === "*") {
      at.star ??= node(false);
      at = at.star;
    } else {
      let next = at.literal.get(seg);
      if (!next) {
        next = node(false);
        at.literal.set(seg, next);
      }
      at = next;
    }
  }
  if (!at.rules.includes(ruleIndex)) at.rules.push(ruleIndex);
}

function push(list: TrieNode[], n: TrieNode): void {
  if (!list.includes(n)) list.push(n);
}

/** Indices of rules with a glob matching `topic`, unordered, possibly repeated across globs. */
export function matchTopic(trie: TopicTrie, topic: string): number[] {
  let live: TrieNode[] = [trie.root];
  for (const seg of topic.split(".")) {
    const next: TrieNode[] = [];
    for (const n of live) {
      if (n.loops) push(next, n);
      const lit = n.literal.get(seg);
      if (lit) push(next, lit);
      if (n.star) push(next, n.star);
      if (n.globstar) push(next, n.globstar);
    }
    if (next.length === 0) return [];
    live = next;
  }
  const out: number[] = [];
  for (const n of live) for (const r of n.rules) out.push(r);
  return out;
}
