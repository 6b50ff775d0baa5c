// Decision-summary templates: `{{topic}}`, `{{rule_id}}`, `{{title}}` (the agent's own title).
export const TEMPLATE_VARS = ["topic", "rule_id", "title"] as const;
export type TemplateVar = (typeof TEMPLATE_VARS)[number];

/**
 * A template split once at compile time: even indices are literal text, odd indices are variable
 * names. Rendering is a single pass, so a `{{...}}` inside an agent's title or topic stays literal.
 */
export type CompiledTemplate = readonly string[];

const VAR_RE = /\{\{\s*(topic|rule_id|title)\s*\}\}/;

export function compileTemplate(text: string): CompiledTemplate {
  return text.split(VAR_RE);
}

export function renderTemplate(tpl: CompiledTemplate, values: Record<TemplateVar, string>): string {
  if (tpl.length === 1) return tpl[0] ?? "";
  let out = "";
  for (let i = 0; i < tpl.length; i++) {
    const part = tpl[i] ?? "";
    out += i % 2 === 0 ? part : values[part as TemplateVar];
  }
  return out;
}
