/**
 * Ordinary channel messages: `POST /channels/{channel.id}/messages`, as a bot posts outside
 * any interaction. Discord answers 404 10003 for a channel it does not know, 403 50001
 * (Missing Access) when the bot cannot view the channel and 403 50013 (Missing Permissions)
 * when it may not send there, and the same 50035 / 50006 as for any message. Every message
 * the endpoint holds, whichever way it came, can be read back to count copies.
 */
import { performance } from "node:perf_hooks";
import type { HeldMessage, RecordedMessage } from "./api.js";
import { InteractionEndpoints } from "./interactions.js";
import {
  isRecord,
  type Json,
  MESSAGE_FLAG_EPHEMERAL,
  permissionString,
  type Reply,
  type StoredMessage,
} from "./internal.js";
import { DEFAULT_APP_PERMISSIONS, makeSnowflake } from "./model.js";
import { isEmptyMessage, validateMessageData } from "./validation.js";

const VIEW_CHANNEL = 1n << 10n;
const SEND_MESSAGES = 1n << 11n;

export abstract class ChannelMessages extends InteractionEndpoints {
  readonly channelMessages: RecordedMessage[] = [];

  heldMessages(channelId?: string): HeldMessage[] {
    const held: HeldMessage[] = [];
    for (const stored of this.messages.values()) {
      const api = stored.api;
      if (channelId !== undefined && api.channel_id !== channelId) continue;
      const flags = typeof api.flags === "number" ? api.flags : 0;
      held.push({
        id: api.id as string,
        channelId: api.channel_id as string,
        interactionId: stored.interactionId === "" ? undefined : stored.interactionId,
        ephemeral: (flags & MESSAGE_FLAG_EPHEMERAL) !== 0,
        api: structuredClone(api),
      });
    }
    return held;
  }

  /** The guild a channel belongs to, if the endpoint made that channel. */
  protected guildOfChannel(channelId: string): string | undefined {
    for (const [guildId, id] of this.channelIds) if (id === channelId) return guildId;
    return undefined;
  }

  protected onChannelMessage(channelId: string, body: unknown): Reply {
    const at = performance.now();
    const guildId = this.guildOfChannel(channelId);
    if (guildId === undefined) return this.error(404, 10003, "Unknown Channel");
    const granted = BigInt(permissionString(this.options.appPermissions, DEFAULT_APP_PERMISSIONS));
    if ((granted & VIEW_CHANNEL) === 0n) return this.error(403, 50001, "Missing Access");
    if ((granted & SEND_MESSAGES) === 0n) return this.error(403, 50013, "Missing Permissions");
    const data: Json = isRecord(body) ? body : {};
    const issues = validateMessageData(data, []);
    if (issues.length > 0) return this.error(400, 50035, "Invalid Form Body", issues);
    if (isEmptyMessage(data)) return this.error(400, 50006, "Cannot send an empty message");
    const id = makeSnowflake();
    // Only "suppress embeds" may be set on a new channel message; ephemeral is for interactions.
    const flags = typeof data.flags === "number" ? data.flags & 4 : 0;
    const api = this.messageFields(id, { channelId, guildId }, data, flags);
    const stored: StoredMessage = { api, interactionId: "", loading: false };
    this.messages.set(id, stored);
    const rec: RecordedMessage = {
      id,
      channelId,
      guildId,
      interactionId: "",
      content: api.content as string,
      embeds: api.embeds as unknown[],
      components: api.components as unknown[],
      flags: api.flags as number,
      at,
      source: "channel",
      api: structuredClone(api),
    };
    if (data.allowed_mentions !== undefined) rec.allowed_mentions = data.allowed_mentions;
    this.channelMessages.push(rec);
    return { status: 200, body: structuredClone(api) };
  }
}
