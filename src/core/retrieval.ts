/**
 * Retrieval: the best `limit` passages for a query by MiniSearch's BM25+ score, without
 * scoring every passage that shares a word with it.
 *
 * The result is the same as the first `limit` results of MiniSearch's `search()` with the
 * same nested query (scores equal to the last bit; ties go to the earlier passage), but the
 * work follows MaxScore (Turtle and Flood, 1995), as Lucene's common-terms and WAND queries
 * do: each matched index term can add at most its best score to a passage. Terms are taken
 * from the rarest (highest possible score) down. A passage first met through a term is scored
 * in full, then and there. Before each term, if every passage not yet met (it can only hold
 * the commoner terms left) could not reach the current `limit`-th best score even with their
 * best scores added up, the search stops: the long lists of "lee" or "summit" are never read,
 * and such words only add to the score of the passages the rarer words found.
 */
import { FUZZY_WEIGHT, type Postings, PREFIX_WEIGHT, type TermPostings } from "./postings.js";

/** One group of query terms, scored like one of MiniSearch's nested queries. */
export interface QueryGroup {
  terms: readonly string[];
  /** Edits a typo may have (0: none), like MiniSearch's `fuzzy` returning a distance. */
  fuzzy?: (term: string) => number;
  /** Whether longer words starting with the term match too. */
  prefix?: (term: string) => boolean;
  /** Weight of the term's matches, like MiniSearch's `boostTerm`. */
  boost?: (term: string) => number;
}

/** A retrieved passage, with the fields of MiniSearch's SearchResult that ranking reads. */
export interface Retrieved {
  id: number;
  score: number;
  /** The query terms it matched. */
  queryTerms: string[];
  /** The index terms it matched (a typo or prefix match differs from its query term). */
  terms: string[];
}

export interface RetrievalOptions {
  limit: number;
  /** Only passages for which this holds are retrieved. */
  accept?: (id: number) => boolean;
}

/** One index term matched on behalf of one query term. */
interface Match {
  /** The query term it counts for; `source` numbers the distinct query terms. */
  query: string;
  source: number;
  /** Positions of the query term's group and of the term in all the query, for the order of the sums. */
  group: number;
  spec: number;
  term: string;
  weight: number;
  postings: TermPostings;
  /** The most it adds to any passage's score. */
  bound: number;
}

/** The matches of every query term, in the order MiniSearch adds them up. */
function matchesOf(
  postings: Postings,
  groups: readonly QueryGroup[],
): { matches: Match[]; sources: number } {
  const matches: Match[] = [];
  // MiniSearch counts a query term once however many groups hold it.
  const sources = new Map<string, number>();
  let spec = 0;
  groups.forEach((group, g) => {
    // MiniSearch splits each query string into terms with the index's tokenizer.
    for (const query of group.terms.flatMap((t) => t.split(" ")).filter((t) => t !== "")) {
      const source = sources.get(query) ?? sources.size;
      sources.set(query, source);
      const boost = group.boost?.(query) ?? 1;
      const add = (term: string, weight: number, list: TermPostings) => {
        const boosted = weight * boost;
        matches.push({
          query,
          source,
          group: g,
          spec,
          term,
          weight: boosted,
          postings: list,
          bound: boosted * postings.bound(term, list),
        });
      };
      const exact = postings.get(query);
      if (exact) add(query, 1, exact);
      const distance = group.fuzzy?.(query) ?? 0;
      const near = distance > 0 ? postings.near(query, distance) : undefined;
      if (group.prefix?.(query)) {
        for (const [longer, list] of postings.withPrefix(query)) {
          const extra = longer.length - query.length;
          if (extra === 0) continue;
          near?.delete(longer);
          add(longer, (PREFIX_WEIGHT * longer.length) / (longer.length + 0.3 * extra), list);
        }
      }
      for (const [other, [list, edits]] of near ?? []) {
        if (edits > 0) add(other, (FUZZY_WEIGHT * other.length) / (other.length + edits), list);
      }
      spec++;
    }
  });
  return { matches, sources: sources.size };
}

/** The best `limit` passages for the query, best first; ties go to the lower id. */
export function retrieve(
  postings: Postings,
  groups: readonly QueryGroup[],
  { limit, accept }: RetrievalOptions,
): Retrieved[] {
  const { matches, sources } = matchesOf(postings, groups);
  if (matches.length === 0 || limit <= 0) return [];
  // Taken from the end: the rarest terms, which can add the most, first.
  const byBound = [...matches].sort((a, b) => a.bound - b.bound);
  const rankOf = new Map(byBound.map((m, i) => [m, i]));
  const order = matches.map((m) => rankOf.get(m) as number);
  // ceiling[i]: the most a passage holding only byBound[0..i) can score: the sum of their
  // bounds, times the number of query terms among them (MiniSearch multiplies by the number
  // of query terms matched), and a hair more so that rounding never puts it below a score.
  const ceiling: number[] = [0];
  const queries = new Set<number>();
  let sum = 0;
  for (const m of byBound) {
    sum += m.bound;
    queries.add(m.source);
    ceiling.push(sum * queries.size * (1 + 1e-9));
  }

  const top = new TopList(limit);
  // Per query term, the last passage counted as matching it.
  const stamps = new Int32Array(sources).fill(-1);
  const met = new Uint8Array(postings.size);
  terms: for (let i = byBound.length - 1; i >= 0; i--) {
    // Passages not met yet hold only byBound[0..i], so score at most this.
    const most = ceiling[i + 1] as number;
    for (const id of (byBound[i] as Match).postings.keys()) {
      if (top.full && most < top.floor) break terms;
      if (met[id] === 1) continue;
      met[id] = 1;
      if (accept && !accept(id)) continue;
      top.offer(id, scoreOf(postings, matches, order, i, id, stamps));
    }
  }
  return top.sorted().map(({ id, score }) => describe(matches, id, score));
}

/**
 * The passage's score, summed in MiniSearch's order (per query term, then per group, then
 * times the number of query terms matched) so that it equals MiniSearch's to the last bit.
 * Only matches ranked at most `upTo` by bound are looked up: the passage holds no other.
 */
function scoreOf(
  postings: Postings,
  matches: readonly Match[],
  order: readonly number[],
  upTo: number,
  id: number,
  stamps: Int32Array,
): number {
  // Adding 0.0 leaves a sum unchanged, so sums that start at 0 keep MiniSearch's grouping.
  let total = 0;
  let groupSum = 0;
  let querySum = 0;
  let group = (matches[0] as Match).group;
  let spec = (matches[0] as Match).spec;
  let queriesMatched = 0;
  for (let j = 0; j < matches.length; j++) {
    const m = matches[j] as Match;
    if (m.spec !== spec) {
      groupSum += querySum;
      querySum = 0;
      spec = m.spec;
      if (m.group !== group) {
        total += groupSum;
        groupSum = 0;
        group = m.group;
      }
    }
    if ((order[j] as number) > upTo) continue;
    const frequency = m.postings.get(id);
    if (frequency === undefined) continue;
    querySum += m.weight * postings.score(m.postings, id, frequency);
    if (stamps[m.source] !== id) {
      queriesMatched++;
      stamps[m.source] = id;
    }
  }
  groupSum += querySum;
  total += groupSum;
  return total * queriesMatched;
}

function describe(matches: readonly Match[], id: number, score: number): Retrieved {
  const queryTerms: string[] = [];
  const terms: string[] = [];
  for (const m of matches) {
    if (!m.postings.has(id)) continue;
    if (!terms.includes(m.term)) terms.push(m.term);
    if (!queryTerms.includes(m.query)) queryTerms.push(m.query);
  }
  return { id, score, queryTerms, terms };
}

interface Scored {
  id: number;
  score: number;
}

function ranksBefore(id: number, score: number, other: Scored): boolean {
  return score > other.score || (score === other.score && id < other.id);
}

/** The best passages met so far, worst last; ties go to the lower id. */
class TopList {
  private readonly entries: Scored[] = [];
  constructor(private readonly capacity: number) {}

  get full(): boolean {
    return this.entries.length >= this.capacity;
  }

  /** The score a passage must beat (or equal, with a lower id) to enter a full list. */
  get floor(): number {
    return this.entries[this.entries.length - 1]?.score ?? Number.NEGATIVE_INFINITY;
  }

  offer(id: number, score: number): void {
    const { entries } = this;
    const last = entries[entries.length - 1];
    if (this.full && last && !ranksBefore(id, score, last)) return;
    let at = entries.length;
    while (at > 0 && ranksBefore(id, score, entries[at - 1] as Scored)) at--;
    entries.splice(at, 0, { id, score });
    if (entries.length > this.capacity) entries.pop();
  }

  sorted(): readonly Scored[] {
    return this.entries;
  }
}
