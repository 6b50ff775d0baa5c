/**
 * Jobs this tab knows have left APPROVAL (the live stream said so, or this reviewer's vote decided them),
 * so the queue can tell a job that was decided from one that merely stopped matching a filter (say,
 * "only what I can act on" after a first vote of two).
 */
const decided = new Set<string>();

export function markDecided(id: string): void {
  decided.add(id);
}

export function wasDecided(id: string): boolean {
  return decided.has(id);
}
