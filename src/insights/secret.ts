/**
 * The key that user ids are hashed with, so that the question log never holds a raw Discord
 * id: generated on first start, kept in DATA_DIR beside the database (readable by the owner
 * only). Several shards starting at once agree on one key: it is written to a temporary file
 * and linked into place, which fails if another process got there first.
 */
import { createHmac, randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

export const SECRET_FILE = "question-log.key";

/** Reads the key in `dataDir`, creating the folder and the key when they do not exist yet. */
export function loadOrCreateSecret(dataDir: string): Buffer {
  const file = path.join(dataDir, SECRET_FILE);
  const read = () => Buffer.from(readFileSync(file, "utf8").trim(), "hex");
  try {
    return checked(read(), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  writeFileSync(temporary, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600 });
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    unlinkSync(temporary);
  }
  return checked(read(), file);
}

function checked(secret: Buffer, file: string): Buffer {
  if (secret.length < 32) {
    throw new Error(
      `${path.basename(file)} is not a key this bot wrote; move it away to start afresh`,
    );
  }
  return secret;
}

/** The keyed hash stored instead of a user id: the same user always gets the same hash. */
export function userHash(secret: Buffer, userId: string): string {
  return createHmac("sha256", secret).update(userId).digest("base64url");
}
