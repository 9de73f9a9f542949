/**
 * Declined questions grouped by their analysed terms: the core analyzer's `terms()` (folding,
 * aliases, stop words, stems) decides which questions are one, so "What did Lee give Xi?" and
 * "lee gave xi what" are one line, with a count and an example.
 */

export interface DeclinedGroup {
  /** The analysed terms the questions share, sorted. */
  terms: string[];
  count: number;
  /** The group's most frequent wording. */
  example: string;
}

/**
 * Groups `declined` (one entry per distinct wording) by `terms[i]`, the analysed terms of
 * `declined[i]`. A question with no terms at all is a group of its own wording.
 */
export function groupDeclined(
  declined: ReadonlyArray<{ question: string; count: number }>,
  terms: ReadonlyArray<readonly string[]>,
): DeclinedGroup[] {
  const groups = new Map<string, DeclinedGroup & { best: number }>();
  declined.forEach((entry, i) => {
    const sorted = [...new Set(terms[i] ?? [])].sort();
    const key = sorted.length > 0 ? sorted.join(" ") : `\u0000${entry.question.toLowerCase()}`;
    const group = groups.get(key);
    if (!group) {
      groups.set(key, {
        terms: sorted,
        count: entry.count,
        example: entry.question,
        best: entry.count,
      });
      return;
    }
    group.count += entry.count;
    if (entry.count > group.best) {
      group.best = entry.count;
      group.example = entry.question;
    }
  });
  return [...groups.values()]
    .sort((a, b) => b.count - a.count || a.example.localeCompare(b.example))
    .map(({ best: _, ...group }) => group);
}
