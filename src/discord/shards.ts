/**
 * Runs the bot as several shards, one process each, under discord.js's ShardingManager.
 */
import type { Config } from "../config.js";
import type { Logger } from "../log.js";

export async function runShards(_config: Readonly<Config>, log: Logger): Promise<number> {
  log.error("sharding is not available yet");
  return 1;
}
