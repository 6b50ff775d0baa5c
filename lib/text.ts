/**
 * Text PostgreSQL stores exactly as sent: no U+0000 (text and jsonb refuse it) and no unpaired
 * surrogate (not Unicode, so no faithful UTF-8 either). Request bodies and policies are checked with it.
 */
export function isStorable(s: string): boolean {
  return !s.includes("\u0000") && s.isWellFormed();
}
