/**
 * What a reload changed: articles and paragraphs added, removed and changed. Computed from
 * compact fingerprints so that two corpora can be compared without holding both in one place.
 */
import { createHash } from "node:crypto";
import type { Article } from "./article.js";

/** A compact summary of a corpus: per article, a hash of its metadata and of each paragraph. */
export type Fingerprint = Array<{ slug: string; meta: string; paragraphs: string[] }>;

export interface Changes {
  articles: { added: string[]; removed: string[]; changed: string[] };
  paragraphs: { added: number; removed: number; changed: number };
}

const hash = (text: string) => createHash("sha1").update(text).digest("base64").slice(0, 12);

export function fingerprintOf(articles: readonly Article[]): Fingerprint {
  return articles.map((a) => ({
    slug: a.slug,
    meta: hash(JSON.stringify([a.outlet, a.headline, a.url, a.published ?? "", a.byline ?? ""])),
    paragraphs: a.paragraphs.map((p) => hash(p.text)),
  }));
}

/**
 * A fingerprint as one string, to pass between threads: copying one string is cheap, while a
 * structure of a hundred thousand small strings is rebuilt piece by piece on arrival.
 * (Slugs and hashes hold neither tabs, spaces nor line breaks.)
 */
export function serializeFingerprint(fingerprint: Fingerprint): string {
  return fingerprint.map((a) => `${a.slug}\t${a.meta}\t${a.paragraphs.join(" ")}`).join("\n");
}

export function parseFingerprint(text: string): Fingerprint {
  if (text === "") return [];
  return text.split("\n").map((line) => {
    const [slug = "", meta = "", paragraphs = ""] = line.split("\t");
    return { slug, meta, paragraphs: paragraphs === "" ? [] : paragraphs.split(" ") };
  });
}

/**
 * Compares two fingerprints. Within an article that is in both, a paragraph whose text
 * changed counts as changed (one removed and one added text pair up); extra texts count as
 * added or removed.
 */
export function compareFingerprints(before: Fingerprint, after: Fingerprint): Changes {
  const changes: Changes = {
    articles: { added: [], removed: [], changed: [] },
    paragraphs: { added: 0, removed: 0, changed: 0 },
  };
  const old = new Map(before.map((a) => [a.slug, a]));
  const seen = new Set<string>();
  for (const article of after) {
    seen.add(article.slug);
    const previous = old.get(article.slug);
    if (previous === undefined) {
      changes.articles.added.push(article.slug);
      changes.paragraphs.added += article.paragraphs.length;
      continue;
    }
    const remaining = new Map<string, number>();
    for (const p of previous.paragraphs) remaining.set(p, (remaining.get(p) ?? 0) + 1);
    let added = 0;
    for (const p of article.paragraphs) {
      const left = remaining.get(p) ?? 0;
      if (left > 0) remaining.set(p, left - 1);
      else added++;
    }
    let removed = 0;
    for (const n of remaining.values()) removed += n;
    const changed = Math.min(added, removed);
    changes.paragraphs.changed += changed;
    changes.paragraphs.added += added - changed;
    changes.paragraphs.removed += removed - changed;
    if (added > 0 || removed > 0 || previous.meta !== article.meta) {
      changes.articles.changed.push(article.slug);
    }
  }
  for (const article of before) {
    if (!seen.has(article.slug)) {
      changes.articles.removed.push(article.slug);
      changes.paragraphs.removed += article.paragraphs.length;
    }
  }
  return changes;
}

export function hasChanges(changes: Changes): boolean {
  const { articles, paragraphs } = changes;
  return (
    articles.added.length + articles.removed.length + articles.changed.length > 0 ||
    paragraphs.added + paragraphs.removed + paragraphs.changed > 0
  );
}
