// A rough rendering of Block Kit as Slack shows it (header, section, fields, context, actions), for the
// demo's preview page; the exact JSON sent is beside it.

type Text = { type: string; text: string };
type Element = { type: string; text?: Text | string; style?: string; url?: string };
type Block = { type: string; text?: Text; fields?: Text[]; elements?: Element[] };

// Slack's date tokens and escapes, read as their fallback text.
const unslack = (s: string) => s.replace(/<!date\^\d+\^[^|]*\|([^>]*)>/g, "$1").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

function Mrkdwn({ text }: { text: string }) {
  const code = /^```([\s\S]*)```$/.exec(text);
  if (code) return <pre className="overflow-auto rounded bg-slate-100 p-2 text-xs">{unslack(code[1]!)}</pre>;
  return <p className="whitespace-pre-wrap text-sm">{unslack(text).replace(/\*([^*\n]+)\*/g, "$1")}</p>;
}

export function BlockKitPreview({ blocks }: { blocks: Block[] }) {
  return (
    <div className="space-y-2 border-l-4 border-slate-300 pl-3">
      {blocks.map((b, i) => {
        if (b.type === "header") return <p key={i} className="text-base font-bold">{b.text?.text}</p>;
        if (b.type === "section")
          return (
            <div key={i}>
              {b.text && <Mrkdwn text={b.text.text} />}
              {b.fields && (
                <div className="grid grid-cols-2 gap-2">
                  {b.fields.map((f, j) => (
                    <Mrkdwn key={j} text={f.text} />
                  ))}
                </div>
              )}
            </div>
          );
        if (b.type === "context") return <p key={i} className="text-xs text-slate-600">{unslack((b.elements ?? []).map((e) => (typeof e.text === "string" ? e.text : (e.text?.text ?? ""))).join(" "))}</p>;
        if (b.type === "actions")
          return (
            <div key={i} role="group" className="flex gap-2" aria-label="Buttons in Slack">
              {(b.elements ?? []).map((e, j) => (
                <span key={j} className={`rounded border px-3 py-1 text-sm ${e.style === "primary" ? "border-green-700 text-green-800" : e.style === "danger" ? "border-red-700 text-red-800" : "border-slate-400"}`}>
                  {typeof e.text === "string" ? e.text : e.text?.text}
                </span>
              ))}
            </div>
          );
        return null;
      })}
    </div>
  );
}
