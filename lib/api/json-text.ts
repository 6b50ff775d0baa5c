/**
 * Checks on the text of a JSON body that JSON.parse has already accepted, for what JSON.parse hides:
 * a key given twice (it keeps the last silently) and a number it rounds (it turns
 * 12345678901234567890 into 12345678901234567000, 1e-400 into 0, 1e400 into Infinity). Both are
 * refused by I-JSON (RFC 7493), and both would let what a reviewer sees differ from what the sender
 * holds. One pass over the text, tracking where it is, so a problem is named by its path.
 */
import { inexactNumber } from "@/lib/numbers";

export interface JsonTextIssue {
  kind: "duplicate_key" | "inexact_number";
  /** Dot-separated, array items by index, as the API's other errors name fields: "payload.items.0". */
  path: string;
  message: string;
  /** The repeated key, or the number as written. */
  text: string;
}

/** Open containers from the outermost in: an object's current key, or an array's current index. */
interface Frame {
  keys: Set<string> | null; // null for arrays
  key: string;
  index: number;
}

const pathOf = (frames: Frame[]) => frames.map((f) => (f.keys ? f.key : String(f.index))).join(".");

/**
 * Why a JSON number literal cannot be carried exactly (see lib/numbers.ts), or null. Fewer than 16
 * characters and no exponent is at most 15 digits, well inside the exact range: no need to parse.
 */
export function inexactLiteral(literal: string): string | null {
  if (literal.length < 16 && !literal.includes("e") && !literal.includes("E")) return null;
  return inexactNumber(Number(literal), literal);
}

// 0-9 + - . e E
const isNumberChar = (c: number) => (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e || c === 0x65 || c === 0x45;

/** The first duplicate key or inexact number in `text` (valid JSON), in text order, or null. */
export function jsonTextIssue(text: string): JsonTextIssue | null {
  const frames: Frame[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      while (j < text.length) {
        const d = text.charCodeAt(j);
        if (d === 0x5c) j += 2;
        else if (d === 0x22) break;
        else j += 1;
      }
      if (expectKey) {
        const raw = text.slice(i, j + 1);
        const key = raw.includes("\\") ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        const top = frames[frames.length - 1]!;
        top.key = key;
        if (top.keys!.has(key)) return { kind: "duplicate_key", path: pathOf(frames), message: "duplicate key", text: key };
        top.keys!.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      // A number literal runs over digits, sign, point and exponent; outside strings nothing else does.
      let j = i + 1;
      while (j < text.length && isNumberChar(text.charCodeAt(j))) j++;
      const literal = text.slice(i, j);
      const why = inexactLiteral(literal);
      if (why) {
        const shown = literal.length > 40 ? `${literal.slice(0, 37)}...` : literal;
        return { kind: "inexact_number", path: pathOf(frames), message: `the number ${shown} ${why}; send it as a string`, text: literal };
      }
      i = j - 1;
    } else if (c === 0x7b) {
      frames.push({ keys: new Set(), key: "", index: 0 });
      expectKey = true;
    } else if (c === 0x5b) {
      frames.push({ keys: null, key: "", index: 0 });
    } else if (c === 0x7d || c === 0x5d) {
      frames.pop();
      expectKey = false;
    } else if (c === 0x2c) {
      const top = frames[frames.length - 1];
      if (top?.keys) expectKey = true;
      else if (top) top.index += 1;
    }
  }
  return null;
}
