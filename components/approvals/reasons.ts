/** The reasons a reviewer picks from (the form, the queue's picker and the batch share them). */
export const REASON_PRESETS = {
  approve: ["Reviewed: matches the request and ticket", "Rollback plan verified", "Amount matches the invoice", "Low risk, expected change"],
  reject: ["Policy violation", "Missing rollback plan", "Insufficient context", "Wrong target or amount", "Not the right time (freeze or incident)"],
} as const;
