/**
 * `npm run bench:question`: how long the question check takes to refuse absurd input (a
 * megabyte of words, a megabyte of emoji) next to a question of the longest accepted length.
 * The target is 50 ms for the megabyte: the check runs on the main thread, before any work.
 * Moved here from the unit tests, where a time bound fails on a busy machine; the test keeps
 * the behaviour (refused without counting characters).
 */
import { checkQuestion, MAX_QUESTION_LENGTH } from "../src/core/question.js";
import { summarize } from "./stats.js";

const TARGET_MS = 50;
const RUNS = 200;

const inputs: Array<[string, string]> = [
  ["1 MB of words", "why ".repeat(256 * 1024)],
  ["1 MB of emoji", "😀".repeat(256 * 1024)],
  [`${MAX_QUESTION_LENGTH} characters (accepted)`, "a".repeat(MAX_QUESTION_LENGTH)],
  [`${MAX_QUESTION_LENGTH} emoji (accepted)`, "👩‍👩‍👧".repeat(MAX_QUESTION_LENGTH)],
];

let failed = false;
process.stdout.write(`question check, ${RUNS} runs each (target: under ${TARGET_MS} ms)\n`);
for (const [what, input] of inputs) {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    checkQuestion(input);
    samples.push(performance.now() - started);
  }
  const s = summarize(samples);
  const verdict = s.max < TARGET_MS ? "pass" : "FAIL";
  if (verdict === "FAIL") failed = true;
  process.stdout.write(
    `  ${what.padEnd(28)} p50 ${s.p50.toFixed(3)} ms, p99 ${s.p99.toFixed(3)} ms, max ${s.max.toFixed(3)} ms  ${verdict}\n`,
  );
}
process.exitCode = failed ? 1 : 0;
