/**
 * A lock on the corpus folder for adding an article, so that two adds at once (two admins, two
 * shard processes, the bot and the command line) cannot both pass the duplicate check. It is a
 * dot-file in the folder (the corpus loader ignores dot-files), created only if it does not
 * exist, holding the owner's process id. A lock whose owner has ended is taken over.
 */
import { randomBytes } from "node:crypto";
import { readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";

const LOCK_NAME = ".add-article.lock";
/** No add holds the lock this long; an older lock was left by a process that ended. */
const STALE_AFTER_MS = 10 * 60_000;
/** Tells this process's locks from those of an earlier process that had the same id. */
const OWNER = `${process.pid} ${randomBytes(6).toString("hex")}`;

/** Another add holds the folder, or the folder cannot be written: a refusal for the admin. */
class FolderLockError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FolderLockError";
  }
}

/**
 * Runs `work` holding the folder's lock, and releases it however `work` ends.
 *
 * @throws {FolderLockError} when another add holds it
 */
export async function withFolderLock<T>(
  dir: string,
  label: string,
  work: () => Promise<T>,
): Promise<T> {
  const lock = path.join(dir, LOCK_NAME);
  await take(lock, label);
  try {
    return await work();
  } finally {
    await rm(lock, { force: true });
  }
}

async function take(lock: string, label: string): Promise<void> {
  // Twice at most: once, and once more after removing a lock its owner left behind.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(lock, `${OWNER}\n`, { flag: "wx" });
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "EEXIST") {
        throw new FolderLockError(`cannot write in ${label}: ${code ?? "error"}`);
      }
    }
    const state = await lockState(lock);
    if (state === "held") break;
    if (state === "stale") await rm(lock, { force: true });
  }
  throw new FolderLockError(
    `another article is being added to ${label} right now; try again in a moment`,
  );
}

/** Whether a lock is held by a running process, was left by one that ended, or is gone. */
async function lockState(lock: string): Promise<"held" | "stale" | "gone"> {
  let owner: string;
  let age: number;
  try {
    owner = (await readFile(lock, "utf8")).trim();
    age = Date.now() - (await stat(lock)).mtimeMs;
  } catch {
    // Released meanwhile: the next attempt takes it.
    return "gone";
  }
  if (age > STALE_AFTER_MS) return "stale";
  // Created but not yet written by its owner.
  if (owner === "") return "held";
  const pid = Number.parseInt(owner, 10);
  if (!Number.isInteger(pid) || pid <= 0) return "stale";
  // This process's id, but not this process's lock: an earlier process that had the same id.
  if (pid === process.pid) return owner === OWNER ? "held" : "stale";
  try {
    process.kill(pid, 0);
    return "held";
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "ESRCH" ? "stale" : "held";
  }
}
