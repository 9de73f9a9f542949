/**
 * The benchmark's yardstick: a plain discord.js client that answers every `/ask` at once with a
 * fixed line. Same intents, mention settings and API base (DISCORD_API_URL) as the real bot,
 * so that the end-to-end comparison measures what the real bot does besides replying.
 * Writes the same "connected to Discord" JSON log line, and stops on SIGTERM or SIGINT.
 */
import { Client, Events, GatewayIntentBits } from "discord.js";

const token = process.env.DISCORD_TOKEN ?? "";
const api = process.env.DISCORD_API_URL || undefined;
const NO_MENTIONS = { parse: [], users: [], roles: [], repliedUser: false };

const client = new Client({
  intents: [GatewayIntentBits.Guilds],
  allowedMentions: NO_MENTIONS,
  ...(api !== undefined && { rest: { api } }),
});

const log = (msg: string) =>
  process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), msg })}\n`);

client.on(Events.InteractionCreate, (interaction) => {
  if (!interaction.isChatInputCommand() || interaction.commandName !== "ask") return;
  interaction
    .reply({ content: "Thanks for asking.", allowedMentions: NO_MENTIONS })
    .catch(() => log("could not deliver a reply"));
});
client.once(Events.ClientReady, () => {
  log("index ready");
  log("connected to Discord");
});

const stop = () => {
  void client.destroy().finally(() => process.exit(0));
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
await client.login(token);
