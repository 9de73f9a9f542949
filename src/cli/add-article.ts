/**
 * `npm run add-article -- <url | file.html> [--outlet NAME] [--headline TEXT] [--url LINK]
 * [--published YYYY-MM-DD] [--byline TEXT] [--replace] [--seeds DIR]`: writes the page's
 * article to `seeds/<slug>.md` and prints what `check-seeds` prints for it. Every refusal is
 * one line on standard error and exit code 1; the folder is then left as it was.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { addArticle } from "../articles/add-article.js";
import { truncateAtWord } from "../core/text.js";
import { configFromEnvironment } from "../environment.js";
import { runScript } from "./run.js";

const USAGE =
  "usage: npm run add-article -- <url | file.html> [--outlet NAME] [--headline TEXT] [--url LINK] [--published YYYY-MM-DD] [--byline TEXT] [--replace] [--seeds DIR]";

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      outlet: { type: "string" },
      headline: { type: "string" },
      url: { type: "string" },
      published: { type: "string" },
      byline: { type: "string" },
      replace: { type: "boolean", default: false },
      seeds: { type: "string" },
    },
  });
  const [source, ...extra] = positionals;
  if (source === undefined || extra.length > 0) throw new Error(USAGE);
  const config = configFromEnvironment();
  const seedsDir = values.seeds === undefined ? config.seedsDir : path.resolve(values.seeds);
  const seedsLabel = values.seeds === undefined ? "seeds" : values.seeds.replace(/\/+$/, "");

  const added = await addArticle({
    source,
    seedsDir,
    seedsLabel,
    replace: values.replace,
    overrides: {
      outlet: values.outlet,
      headline: values.headline,
      url: values.url,
      published: values.published,
      byline: values.byline,
    },
    fetch: { allowLoopback: config.addArticle.allowLoopback },
  });

  const { article } = added;
  const dropped = article.dropped.length;
  process.stdout.write(
    `${added.file}: ${article.paragraphs.length} paragraphs kept, ${dropped} line${dropped === 1 ? "" : "s"} dropped\n`,
  );
  for (const line of article.dropped) {
    process.stdout.write(`    line ${line.line} [${line.rule}] ${truncateAtWord(line.text, 90)}\n`);
  }
  for (const file of added.replaced) {
    if (file !== added.file) process.stdout.write(`Removed ${file} (same URL).\n`);
  }
  const date = article.published ?? "no date";
  process.stdout.write(
    `\nWrote ${added.file}: ${article.outlet}, "${article.headline}", ${date}.\n` +
      "Run /reload on Discord (or in the console) to serve it.\n",
  );
  return 0;
}

runScript(main, "add-article: ");
