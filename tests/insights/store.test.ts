import { readFileSync, statSync, writeFileSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createAnalyzer } from "../../src/core/analyzer.js";
import { groupDeclined } from "../../src/insights/grouping.js";
import {
  MIGRATIONS,
  migrate,
  NewerSchemaError,
  SCHEMA_VERSION,
} from "../../src/insights/migrations.js";
import { classify } from "../../src/insights/problems.js";
import { loadOrCreateSecret, SECRET_FILE, userHash } from "../../src/insights/secret.js";
import { type AskEntry, DATABASE_FILE, QuestionStore } from "../../src/insights/store.js";

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 2, 1, 12);
const roots: string[] = [];

afterEach(async () => {
  await Promise.all(roots.splice(0).map((r) => rm(r, { recursive: true, force: true })));
});

async function dataDir(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), "summit-desk-log-"));
  roots.push(root);
  return path.join(root, "data");
}

let serial = 0;
function ask(overrides: Partial<AskEntry> = {}): AskEntry {
  serial++;
  return {
    key: `key${serial}`,
    at: NOW,
    guildId: "222222222222222222",
    userId: "111111111111111111",
    question: "what phone did lee use?",
    via: "ask",
    answered: true,
    slug: "worldtribune-lee-giddy-after-selfie-of-a-lifetime",
    paragraph: 12,
    confidence: 0.78,
    ...overrides,
  };
}

const tables = (db: Database.Database) =>
  (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{
      name: string;
    }>
  ).map((t) => t.name);

describe("migrations", () => {
  it("build the whole schema on an empty database, in WAL mode", async () => {
    const dir = await dataDir();
    const store = QuestionStore.open(dir);
    expect(store.db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(tables(store.db)).toEqual(["asks", "votes"]);
    store.close();
  });

  it.each(Array.from({ length: SCHEMA_VERSION - 1 }, (_, i) => i + 1))(
    "upgrade a database at version %i and keep its rows",
    async (version) => {
      const db = new Database(":memory:");
      expect(migrate(db, version)).toBe(0);
      expect(db.pragma("user_version", { simple: true })).toBe(version);
      db.prepare(
        "INSERT INTO asks (key, at, user_hash, question, via, answered) VALUES ('k', 1, 'h', 'q?', 'ask', 0)",
      ).run();
      expect(migrate(db)).toBe(version);
      expect(db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.prepare("SELECT question FROM asks").all()).toEqual([{ question: "q?" }]);
      expect(tables(db)).toEqual(["asks", "votes"]);
    },
  );

  it("are numbered: one per schema version, applied once", () => {
    const db = new Database(":memory:");
    migrate(db);
    expect(MIGRATIONS).toHaveLength(SCHEMA_VERSION);
    // A second start finds nothing to do.
    expect(migrate(db)).toBe(SCHEMA_VERSION);
  });

  it("leave a database from a newer version alone, and say so", () => {
    const db = new Database(":memory:");
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    expect(() => migrate(db)).toThrow(NewerSchemaError);
    expect(() => migrate(db)).toThrow(/newer than this bot's/);
    expect(tables(db)).toEqual([]);
    expect(classify(new NewerSchemaError(9))).toBe("newer");
  });
});

describe("the user id hash", () => {
  it("is the same for the same user and differs between users and keys", async () => {
    const dir = await dataDir();
    const secret = loadOrCreateSecret(dir);
    expect(loadOrCreateSecret(dir).equals(secret)).toBe(true);
    const a = userHash(secret, "111111111111111111");
    expect(userHash(secret, "111111111111111111")).toBe(a);
    expect(userHash(secret, "111111111111111112")).not.toBe(a);
    expect(userHash(Buffer.alloc(32, 7), "111111111111111111")).not.toBe(a);
    expect(statSync(path.join(dir, SECRET_FILE)).mode & 0o777).toBe(0o600);
  });

  it("is all the database holds of a user: no raw id anywhere in its files", async () => {
    const dir = await dataDir();
    const store = QuestionStore.open(dir);
    const ids = ["111111111111111111", "333333333333333333", "444444444444444444"];
    store.write(
      ids.map((userId) => ask({ userId, question: "marker question about the ferry" })),
      ids.map((userId) => ({ askKey: "key-any", userId, helpful: false, at: NOW })),
    );
    const hashes = store.db.prepare("SELECT DISTINCT user_hash AS h FROM asks").all();
    expect(hashes).toHaveLength(3);
    // Read while open (rows in the WAL) and after closing (checkpointed into the main file).
    const scan = () =>
      readdir(dir).then((files) =>
        files.map((f) => readFileSync(path.join(dir, f)).toString("latin1")).join("\n"),
      );
    const whileOpen = await scan();
    store.close();
    for (const bytes of [whileOpen, await scan()]) {
      expect(bytes).toContain("marker question about the ferry");
      for (const id of ids) expect(bytes).not.toContain(id);
    }
  });
});

describe("votes", () => {
  it("count once per member and answer: a second click changes the vote", async () => {
    const store = QuestionStore.open(await dataDir());
    const answer = ask();
    store.write([answer], [{ askKey: answer.key, userId: "1", helpful: true, at: NOW }]);
    store.write([], [{ askKey: answer.key, userId: "1", helpful: false, at: NOW + 1 }]);
    store.write([], [{ askKey: answer.key, userId: "2", helpful: true, at: NOW + 2 }]);
    expect(store.counts()).toEqual({ asks: 1, votes: 2 });
    const summary = store.summary(7, NOW + 3);
    expect(summary.votes).toEqual({ helpful: 1, notHelpful: 1 });
    expect(summary.notHelpful).toEqual([
      {
        question: answer.question,
        slug: answer.slug,
        paragraph: answer.paragraph,
        notHelpful: 1,
        helpful: 1,
      },
    ]);
    store.close();
  });
});

describe("pruning", () => {
  it("deletes answers and votes older than the days kept, and nothing newer", async () => {
    const store = QuestionStore.open(await dataDir());
    const old = ask({ at: NOW - 91 * DAY });
    const recent = ask({ at: NOW - 89 * DAY });
    store.write(
      [old, recent],
      [
        { askKey: old.key, userId: "1", helpful: true, at: NOW - 91 * DAY },
        { askKey: recent.key, userId: "1", helpful: false, at: NOW - DAY },
      ],
    );
    expect(store.prune(90, NOW)).toEqual({ asks: 1, votes: 1 });
    expect(store.counts()).toEqual({ asks: 1, votes: 1 });
    expect(store.db.prepare("SELECT key FROM asks").all()).toEqual([{ key: recent.key }]);
    expect(store.prune(90, NOW)).toEqual({ asks: 0, votes: 0 });
    store.close();
  });
});

describe("the summary", () => {
  it("counts questions asked with /ask, the share answered, and declined questions by wording", async () => {
    const store = QuestionStore.open(await dataDir());
    store.write(
      [
        ask(),
        ask({ via: "button" }),
        ask({ answered: false, reason: "no-match", question: "Who won the match?" }),
        ask({ answered: false, reason: "no-match", question: "who won the match?  " }),
        ask({ answered: false, reason: "unknown-outlet", question: "anything", outlet: "Nope" }),
        ask({ answered: false, reason: "no-match", question: "too old", at: NOW - 8 * DAY }),
      ],
      [],
    );
    const summary = store.summary(7, NOW);
    expect(summary).toMatchObject({ asked: 4, answered: 1 });
    expect(summary.declined).toEqual([{ question: "Who won the match?", count: 2 }]);
    store.close();
  });
});

describe("grouping declined questions", () => {
  const analyzer = createAnalyzer();
  const group = (declined: Array<{ question: string; count: number }>) =>
    groupDeclined(
      declined,
      declined.map((d) => analyzer.terms(d.question)),
    );

  it("puts questions with the same analysed terms on one line, with a count and the most frequent wording", () => {
    expect(
      group([
        { question: "What did Lee give Xi?", count: 1 },
        { question: "lee gave xi what", count: 3 },
        { question: "Where is the ferry?", count: 2 },
        { question: "LEE GIVES XI??", count: 1 },
      ]),
    ).toEqual([
      { terms: ["give", "lee", "xi"], count: 5, example: "lee gave xi what" },
      { terms: ["ferri"], count: 2, example: "Where is the ferry?" },
    ]);
  });

  it("keeps questions without any searchable word apart, by their wording", () => {
    const groups = group([
      { question: "what is it?", count: 1 },
      { question: "who?", count: 1 },
    ]);
    expect(groups.map((g) => g.example).sort()).toEqual(["what is it?", "who?"]);
  });
});

describe("problems", () => {
  it("are named by kind from SQLite's and the file system's codes", () => {
    const codes: Array<[string, string]> = [
      ["SQLITE_BUSY", "locked"],
      ["SQLITE_BUSY_SNAPSHOT", "locked"],
      ["SQLITE_FULL", "full"],
      ["ENOSPC", "full"],
      ["SQLITE_READONLY", "read-only"],
      ["SQLITE_READONLY_DBMOVED", "read-only"],
      ["EACCES", "read-only"],
      ["SQLITE_CORRUPT", "corrupt"],
      ["SQLITE_NOTADB", "corrupt"],
      ["SQLITE_CANTOPEN", "unavailable"],
    ];
    for (const [code, kind] of codes) expect([code, classify({ code })]).toEqual([code, kind]);
  });

  it("a file that is not a database is reported as corrupt", async () => {
    const dir = await dataDir();
    QuestionStore.open(dir).close();
    writeFileSync(path.join(dir, DATABASE_FILE), "this is not a database".repeat(100));
    let error: unknown;
    try {
      QuestionStore.open(dir).close();
    } catch (e) {
      error = e;
    }
    expect(classify(error)).toBe("corrupt");
  });
});
