/**
 * The benchmark's questions: one fixed set, the same for every corpus size, so that latencies
 * are comparable across sizes.
 *
 * - every question of `eval/dev-questions.json` and `eval/paraphrase-questions.json` (about
 *   the summit; a few are off-topic, gibberish or empty, as people type them);
 * - generated questions built from the synthetic corpus' words: common words (Zipf-drawn, the
 *   fifty most common skipped), people and places that every corpus size contains, the
 *   summit's own words, and some typos, in the shapes people ask ("what did X say about …",
 *   "how many …", "when did …", bare keywords).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { CORPUS_SEED, NewsWriter } from "./corpus.js";
import { Random } from "./random.js";

export interface BenchQuestion {
  text: string;
  source: "dev" | "paraphrase" | "generated";
}

/** The number of generated questions in the measured set. */
const GENERATED_QUESTIONS = 250;

/** Seeds of the question generators: one for the measured set, one for the warm-up set. */
const MEASURED_SEED = 20_260_105;
const WARM_UP_SEED = 7;

const TOPIC = ["lee", "xi", "summit", "selfie", "beijing", "xiaomi", "agreement", "dinner"];

async function evalQuestions(root: string, file: string): Promise<string[]> {
  const parsed = JSON.parse(await readFile(path.join(root, "eval", file), "utf8")) as {
    questions: Array<{ question: string }>;
  };
  return parsed.questions.map((q) => q.question);
}

/** A typo a person makes: two neighbouring letters swapped in a longer word. */
function withTypo(random: Random, question: string): string {
  const words = question.split(" ");
  const long = words.map((w, i) => (w.length >= 6 ? i : -1)).filter((i) => i >= 0);
  if (long.length === 0) return question;
  const i = random.pick(long);
  const word = words[i] as string;
  const at = random.int(1, word.length - 3);
  words[i] = word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
  return words.join(" ");
}

/** Questions shaped like the ones people ask, from the synthetic corpus' words. */
function generatedQuestions(count: number, seed = MEASURED_SEED): string[] {
  // The writer of the largest corpus; its first people and places are in every corpus size,
  // because every writer draws them first from the same stream (see NewsWriter).
  const writer = new NewsWriter(CORPUS_SEED, 100_000);
  const random = new Random(seed);
  const people = writer.people.slice(0, 40).map((p) => p.toLowerCase());
  const places = writer.places.slice(0, 15).map((p) => p.toLowerCase());
  const w = () => writer.word(50, random);
  const shapes: Array<() => string> = [
    () => `what did ${random.pick(people)} say about ${w()} ${w()}`,
    () => `how many ${w()} ${w()} ${w()}`,
    () => `when did ${random.pick(people)} ${w()} the ${w()}`,
    () => `${w()} ${w()} ${w()} ${w()}`,
    () => `why is ${random.pick(TOPIC)} ${w()} ${w()} in ${random.pick(places)}`,
    () => `who ${w()} the ${w()} ${w()} at the ${random.pick(TOPIC)}`,
    () => `${random.pick(TOPIC)} ${w()} ${w()}`,
  ];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const question = (shapes[i % shapes.length] as () => string)();
    out.push(random.chance(0.15) ? withTypo(random, question) : question);
  }
  return out;
}

/** The measured set: the eval questions, then the generated ones. */
export async function benchQuestions(root: string): Promise<BenchQuestion[]> {
  const dev = await evalQuestions(root, "dev-questions.json");
  const paraphrase = await evalQuestions(root, "paraphrase-questions.json");
  return [
    ...dev.map((text) => ({ text, source: "dev" as const })),
    ...paraphrase.map((text) => ({ text, source: "paraphrase" as const })),
    ...generatedQuestions(GENERATED_QUESTIONS).map((text) => ({
      text,
      source: "generated" as const,
    })),
  ];
}

/**
 * The registers of `eval/questions.json` written as people type in a chat: on a phone, as a
 * fan, in a second language, or with names in Hangul or Hanzi (the others are a student's and
 * a journalist's full sentences).
 */
const CHAT_REGISTERS = new Set(["phone", "fan", "non-native", "hangul-hanzi"]);

/** How many chat-style questions the peer comparison asks. */
const CHAT_QUESTIONS = 200;

/**
 * The peer comparison's questions: 200 chat-style questions of `eval/questions.json`, every
 * question of the chat registers in file order, thinned evenly to 200 (not chosen by speed).
 */
export async function chatQuestions(root: string): Promise<string[]> {
  const parsed = JSON.parse(await readFile(path.join(root, "eval", "questions.json"), "utf8")) as {
    questions: Array<{ question: string; register?: string }>;
  };
  const chat = parsed.questions
    .filter((q) => q.register !== undefined && CHAT_REGISTERS.has(q.register))
    .map((q) => q.question);
  const count = Math.min(CHAT_QUESTIONS, chat.length);
  const step = chat.length / count;
  return Array.from({ length: count }, (_, i) => chat[Math.floor(i * step)] as string);
}

/** A separate set for warming up the JIT, so measured questions are not pre-cached. */
export function warmUpQuestions(count = 120): string[] {
  return generatedQuestions(count, WARM_UP_SEED);
}
