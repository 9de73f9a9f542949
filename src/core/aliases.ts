/**
 * The alias table, `seeds/aliases.yaml`: the event's names and terms written more than one way.
 *
 * - `aliases` map one spelling to the others people type ("Kyongju" for "Gyeongju",
 *   "kpop" for "K-pop"). Both the articles and the questions are rewritten to the first
 *   spelling before indexing, so every variant matches exactly.
 * - `related` lists groups of different words for one idea ("deal" and "agreement"). A word
 *   of the question also searches the other words of its group, at a lower weight.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { z } from "zod";
import type { Problem } from "./problem.js";

export const ALIASES_FILE = "aliases.yaml";

export interface AliasTable {
  /** Each group: the spelling used in the index, and the other spellings that mean it. */
  groups: Array<{ canonical: string; variants: string[] }>;
  /** Groups of words that stand in for one another at a lower weight. */
  related?: string[][];
}

const phrase = z.string().trim().min(1).max(80);
const schema = z
  .object({
    aliases: z.record(phrase, z.array(phrase).min(1)).optional(),
    related: z.array(z.array(phrase).min(2)).optional(),
  })
  .strict();

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Parses the alias table; problems carry the line they are on. */
export function parseAliases(
  file: string,
  bytes: Uint8Array,
): { table: AliasTable; problems: Problem[] } {
  const empty: AliasTable = { groups: [] };
  let source: string;
  try {
    source = decoder.decode(bytes);
  } catch {
    return { table: empty, problems: [{ file, line: 1, message: "file is not UTF-8 text" }] };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      table: empty,
      problems: doc.errors.map((e) => ({
        file,
        line: e.linePos?.[0]?.line ?? 1,
        // The line is reported separately; drop yaml's own " at line N, column M:" suffix.
        message: (e.message.split("\n")[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, ""),
      })),
    };
  }
  const parsed = schema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    return {
      table: empty,
      problems: parsed.error.issues.map((issue) => ({
        file,
        // An unknown section is reported on the line of its name, not on line 1.
        line:
          issue.code === "unrecognized_keys"
            ? lineOfKey(doc.contents, issue.keys[0], lineCounter)
            : lineOfPath(doc.contents, issue.path, lineCounter),
        message: describeIssue(issue),
      })),
    };
  }

  const problems: Problem[] = [];
  const owner = new Map<string, string>();
  const groups: AliasTable["groups"] = [];
  for (const [canonical, variants] of Object.entries(parsed.data.aliases ?? {})) {
    for (const variant of variants) {
      const key = variant.toLowerCase();
      const previous = owner.get(key);
      if (previous !== undefined && previous !== canonical) {
        problems.push({
          file,
          line: lineOfPath(doc.contents, ["aliases", canonical], lineCounter),
          message: `"${variant}" is listed under both "${previous}" and "${canonical}"`,
        });
      }
      owner.set(key, canonical);
    }
    groups.push({ canonical, variants });
  }
  return {
    table: { groups, ...(parsed.data.related && { related: parsed.data.related }) },
    problems,
  };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  if (issue.code === "unrecognized_keys") {
    return `unknown section ${issue.keys.map((k) => `"${k}"`).join(", ")}; the sections are "aliases" and "related"`;
  }
  if (issue.code === "too_small" && issue.origin === "array") {
    return `${where}list is too short`;
  }
  if (issue.code === "too_small" || issue.code === "too_big") {
    return `${where}each entry must be 1 to 80 characters`;
  }
  return `${where}${issue.message}`;
}

/** Finds the line of a key of the top-level map. */
function lineOfKey(root: Node | null, key: string | undefined, lineCounter: LineCounter): number {
  const pair = isMap(root)
    ? root.items.find((p) => isScalar(p.key) && p.key.value === key)
    : undefined;
  const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
  return range ? lineCounter.linePos(range[0]).line : 1;
}

/** Finds the line of the node at `path`, or of its nearest existing parent. */
function lineOfPath(
  root: Node | null,
  path: ReadonlyArray<PropertyKey>,
  lineCounter: LineCounter,
): number {
  let node: unknown = root;
  let line = 1;
  for (const key of path) {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (range) line = lineCounter.linePos(range[0]).line;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
      if (pair && isScalar(pair.key) && pair.key.range) {
        line = lineCounter.linePos(pair.key.range[0]).line;
      }
      node = pair?.value ?? null;
    } else if (isSeq(node) && typeof key === "number") {
      node = node.items[key] ?? null;
    } else {
      break;
    }
  }
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? lineCounter.linePos(range[0]).line : line;
}
