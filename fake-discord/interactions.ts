/**
 * Interactions and their callbacks: a command, an autocomplete or a button click is sent to
 * the bot as INTERACTION_CREATE on the guild's shard, and the bot answers through the REST
 * callbacks Discord offers: the initial response (reply, defer, update, autocomplete result;
 * only the types allowed for the interaction's type, once, within the deadline), edits of the
 * original message, and follow-ups, ephemeral or not.
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import type {
  ButtonInput,
  CommandInput,
  DiscordErrorBody,
  InteractionCallbackBody,
  InteractionHandle,
  RecordedMessage,
  RecordedResponse,
} from "./api.js";
import { type CommandPermission, refusal } from "./command-permissions.js";
import { GatewaySessions } from "./gateway.js";
import { Interaction } from "./interaction.js";
import {
  ALLOWED_CALLBACK_TYPES,
  hasFocusedOption,
  isRecord,
  type Json,
  MESSAGE_FLAG_COMPONENTS_V2,
  MESSAGE_FLAG_EPHEMERAL,
  MESSAGE_FLAG_LOADING,
  memberPayload,
  permissionString,
  type Reply,
  type StoredMessage,
  toApiOptions,
} from "./internal.js";
import {
  DEFAULT_APP_PERMISSIONS,
  DEFAULT_MEMBER_PERMISSIONS,
  type FakeUser,
  makeSnowflake,
  shardForGuild,
} from "./model.js";
import {
  collectCustomIds,
  isEmptyMessage,
  validateChoices,
  validateMessageData,
} from "./validation.js";

export abstract class InteractionEndpoints extends GatewaySessions {
  protected createInteraction(
    kind: "command" | "autocomplete" | "button",
    type: number,
    guildId: string,
    fakeUser: FakeUser,
    name: string,
    data: Json,
    extra: Json,
    sourceMessageId: string | undefined,
  ): Interaction {
    if (this.closed) throw new Error("fake Discord is closed");
    const createdAt = performance.now();
    const id = makeSnowflake();
    // Shaped like Discord's (base64 of "interaction:<id>:<secret>") and URL-safe, because
    // undici percent-encodes characters such as ":" in the path.
    const token = Buffer.from(`interaction:${id}:${randomBytes(48).toString("hex")}`).toString(
      "base64url",
    );
    const user = this.apiUser(fakeUser);
    this.knownUsers.set(fakeUser.id, user);
    const payload: Json = {
      id,
      application_id: this.applicationId,
      type,
      token,
      version: 1,
      guild_id: guildId,
      guild: { id: guildId, locale: "en-US", features: [] },
      channel_id: this.channelFor(guildId),
      channel: this.channelPayload(guildId),
      member: {
        ...memberPayload(
          user,
          fakeUser.roles ?? [],
          new Date(Date.now() - 86_400_000).toISOString(),
        ),
        permissions: permissionString(fakeUser.permissions, DEFAULT_MEMBER_PERMISSIONS),
      },
      app_permissions: permissionString(this.options.appPermissions, DEFAULT_APP_PERMISSIONS),
      locale: fakeUser.locale ?? "en-US",
      guild_locale: "en-US",
      entitlements: [],
      authorizing_integration_owners: { "0": guildId },
      context: 0,
      attachment_size_limit: 10_485_760,
      data,
      ...extra,
    };
    const shard = shardForGuild(guildId, this.currentShardCount());
    const interaction = new Interaction(
      this,
      id,
      token,
      kind,
      type,
      guildId,
      this.channelFor(guildId),
      shard,
      user,
      name,
      sourceMessageId,
      payload,
      createdAt,
    );
    this.interactions.push(interaction);
    this.interactionsById.set(id, interaction);
    this.interactionsByToken.set(token, interaction);
    this.announceRoles(shard, guildId, fakeUser.roles ?? []);
    this.dispatchToShard(shard, "INTERACTION_CREATE", payload, () => interaction.markDelivered());
    this.notify();
    return interaction;
  }

  /**
   * A member's roles exist in the guild, and a bot with the Guilds intent was told of each one
   * (in GUILD_CREATE, or GUILD_ROLE_CREATE when it was made): a role first seen on a test user
   * is announced as created, before the interaction that carries it.
   */
  protected announceRoles(shard: number, guildId: string, roles: readonly string[]): void {
    for (const roleId of roles) {
      const key = `${guildId}:${roleId}`;
      if (roleId === guildId || this.announcedRoles.has(key)) continue;
      this.announcedRoles.add(key);
      const role = {
        id: roleId,
        name: `Role ${roleId.slice(-4)}`,
        permissions: "0",
        position: 2,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0,
      };
      this.dispatchToShard(shard, "GUILD_ROLE_CREATE", { guild_id: guildId, role }, () => {});
    }
  }

  setCommandPermissions(guildId: string, name: string, permissions: CommandPermission[]): void {
    const command = this.registeredCommand(name, guildId);
    if (!command) throw new Error(`no command /${name} is registered for guild ${guildId}`);
    this.commandPermissions.set(`${guildId}:${command.id}`, structuredClone(permissions));
  }

  /** The registered chat command called `name` in the guild (guild commands first), if any. */
  protected registeredCommand(name: string, guildId: string) {
    for (const scope of [guildId, "global"]) {
      const found = this.commands.get(scope)?.find((c) => c.name === name && c.type === 1);
      if (found) return found;
    }
    return undefined;
  }

  /** Throws when Discord would not let the user use the command (see `command-permissions.ts`). */
  protected checkCommandPermissions(name: string, guildId: string, fakeUser: FakeUser): void {
    const command = this.registeredCommand(name, guildId);
    if (!command) return; // nothing registered: nothing to enforce
    const reason = refusal({
      guildId,
      channelId: this.channelFor(guildId),
      userId: fakeUser.id,
      roles: fakeUser.roles ?? [],
      permissions: permissionString(fakeUser.permissions, DEFAULT_MEMBER_PERMISSIONS),
      defaultMemberPermissions: command.default_member_permissions as string | null | undefined,
      overwrites: this.commandPermissions.get(`${guildId}:${command.id}`) ?? [],
    });
    if (reason !== undefined) {
      throw new CommandNotPermitted(
        `Discord would not deliver /${name} from ${fakeUser.id}: ${reason}`,
      );
    }
  }

  sendCommand(input: CommandInput): InteractionHandle {
    const guildId = input.guildId ?? this.guildId;
    this.checkCommandPermissions(input.name, guildId, input.user ?? this.defaultUser);
    const data: Json = { id: this.commandIdFor(input.name, guildId), name: input.name, type: 1 };
    const options = toApiOptions(input.options);
    if (options) data.options = options;
    if (input.resolved !== undefined) data.resolved = input.resolved;
    return this.createInteraction(
      "command",
      2,
      guildId,
      input.user ?? this.defaultUser,
      `/${input.name}`,
      data,
      {},
      undefined,
    );
  }

  sendAutocomplete(input: CommandInput): InteractionHandle {
    if (!hasFocusedOption(input.options)) {
      throw new Error("sendAutocomplete needs one option with focused: true");
    }
    const guildId = input.guildId ?? this.guildId;
    this.checkCommandPermissions(input.name, guildId, input.user ?? this.defaultUser);
    const data: Json = {
      id: this.commandIdFor(input.name, guildId),
      name: input.name,
      type: 1,
      options: toApiOptions(input.options),
    };
    return this.createInteraction(
      "autocomplete",
      4,
      guildId,
      input.user ?? this.defaultUser,
      `/${input.name} (autocomplete)`,
      data,
      {},
      undefined,
    );
  }

  clickButton(input: ButtonInput): InteractionHandle {
    const stored = this.messages.get(input.message.id);
    const message = structuredClone(stored?.api ?? input.message.api);
    const ids: string[] = [];
    collectCustomIds(message.components, ids);
    if (!input.allowMissingComponent && !ids.includes(input.customId)) {
      throw new Error(
        `message ${input.message.id} has no component with custom_id "${input.customId}" (has: ${ids.join(", ") || "none"})`,
      );
    }
    if (!stored)
      this.messages.set(input.message.id, {
        api: message,
        interactionId: input.message.interactionId,
        loading: false,
      });
    const guildId = input.guildId ?? input.message.guildId ?? this.guildId;
    return this.createInteraction(
      "button",
      3,
      guildId,
      input.user ?? this.defaultUser,
      `button ${input.customId}`,
      { custom_id: input.customId, component_type: 2 },
      { message },
      input.message.id,
    );
  }

  // ----- messages ------------------------------------------------------------------------------

  /** What every message the bot posts holds, however it was posted. */
  protected messageFields(
    id: string,
    where: { channelId: string; guildId: string },
    data: Json,
    flags: number,
  ): Json {
    const embeds = Array.isArray(data.embeds)
      ? data.embeds.map((e) => (isRecord(e) ? { type: "rich", ...e } : e))
      : [];
    return {
      id,
      type: 0,
      channel_id: where.channelId,
      guild_id: where.guildId,
      author: this.botUser(),
      content: typeof data.content === "string" ? data.content : "",
      embeds,
      components: Array.isArray(data.components) ? data.components : [],
      attachments: [],
      mentions: [],
      mention_roles: [],
      mention_channels: [],
      mention_everyone: false,
      pinned: false,
      tts: data.tts === true,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      flags,
    };
  }

  protected buildMessage(it: Interaction, id: string, data: Json, flags: number): Json {
    return {
      ...this.messageFields(id, it, data, flags),
      type: it.type === 2 ? 20 : 0,
      webhook_id: this.applicationId,
      application_id: this.applicationId,
      interaction_metadata: {
        id: it.id,
        type: it.type,
        user: it.user,
        authorizing_integration_owners: { "0": it.guildId },
        ...(it.sourceMessageId ? { interacted_message_id: it.sourceMessageId } : {}),
      },
      interaction: { id: it.id, type: it.type, name: it.name.replace(/^\//, ""), user: it.user },
    };
  }

  protected record(
    stored: StoredMessage,
    it: Interaction,
    source: RecordedMessage["source"],
    request: Json,
    at: number,
  ): RecordedMessage {
    const api = structuredClone(stored.api);
    const rec: RecordedMessage = {
      id: api.id as string,
      channelId: api.channel_id as string,
      guildId: typeof api.guild_id === "string" ? api.guild_id : undefined,
      interactionId: it.id,
      content: api.content as string,
      embeds: api.embeds as unknown[],
      components: api.components as unknown[],
      flags: api.flags as number,
      at,
      source,
      api,
    };
    if (request.allowed_mentions !== undefined) rec.allowed_mentions = request.allowed_mentions;
    return rec;
  }

  protected createStoredMessage(it: Interaction, data: Json, loading: boolean): StoredMessage {
    const requested = typeof data.flags === "number" ? data.flags : 0;
    const flags =
      (requested & (MESSAGE_FLAG_EPHEMERAL | 4 | MESSAGE_FLAG_COMPONENTS_V2)) |
      (loading ? MESSAGE_FLAG_LOADING : 0);
    const stored: StoredMessage = {
      api: this.buildMessage(it, makeSnowflake(), loading ? {} : data, flags),
      interactionId: it.id,
      loading,
    };
    this.messages.set(stored.api.id as string, stored);
    return stored;
  }

  protected applyEdit(stored: StoredMessage, data: Json): void {
    const api = stored.api;
    for (const key of ["content", "embeds", "components", "attachments", "poll"]) {
      if (data[key] !== undefined)
        api[key] = data[key] === null ? (key === "content" ? "" : []) : data[key];
    }
    if (Array.isArray(api.embeds))
      api.embeds = api.embeds.map((e) => (isRecord(e) ? { type: "rich", ...e } : e));
    const oldFlags = typeof api.flags === "number" ? api.flags : 0;
    const changeable = 4 | MESSAGE_FLAG_COMPONENTS_V2;
    const newFlags =
      typeof data.flags === "number" ? data.flags & changeable : oldFlags & changeable;
    api.flags = (oldFlags & MESSAGE_FLAG_EPHEMERAL) | newFlags;
    api.edited_timestamp = stored.loading ? null : new Date().toISOString();
    stored.loading = false;
  }

  protected interactionFromPath(path: string): Interaction | undefined {
    const callback = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path);
    if (callback) return this.interactionsById.get(callback[1] as string);
    const webhook = /^\/webhooks\/\d+\/([^/]+)/.exec(path);
    if (webhook) return this.interactionsByToken.get(webhook[1] as string);
    return undefined;
  }

  protected onCallback(id: string, token: string, query: URLSearchParams, body: unknown): Reply {
    const at = performance.now();
    const it = this.interactionsById.get(id);
    if (!it || it.token !== token) return this.error(404, 10062, "Unknown interaction");
    const cb: InteractionCallbackBody =
      isRecord(body) && typeof body.type === "number"
        ? (body as unknown as InteractionCallbackBody)
        : { type: Number.NaN };
    const attempt = (reply: Reply): Reply => {
      const response: RecordedResponse = {
        interactionId: it.id,
        body: structuredClone(cb),
        status: reply.status,
        accepted: reply.status < 300,
        query: Object.fromEntries(query),
        at,
      };
      if (reply.status >= 300) response.error = reply.body as DiscordErrorBody;
      it.callbacks.push(response);
      return reply;
    };

    if (it.ackType !== undefined) {
      return attempt(this.error(400, 40060, "Interaction has already been acknowledged."));
    }
    if (at - it.createdAt > this.options.interactionDeadlineMs) {
      return attempt(this.error(404, 10062, "Unknown interaction"));
    }
    const allowed = ALLOWED_CALLBACK_TYPES[it.type] ?? [];
    if (!allowed.includes(cb.type)) {
      return attempt(
        this.error(400, 50035, "Invalid Form Body", [
          {
            path: ["type"],
            code: "INTERACTION_RESPONSE_TYPE_INVALID",
            message: "Interaction response type is invalid for this interaction",
          },
        ]),
      );
    }
    const data: Json = isRecord(cb.data) ? cb.data : {};
    if (cb.type === 4 || cb.type === 7) {
      const issues = validateMessageData(data, ["data"]);
      if (issues.length > 0) return attempt(this.error(400, 50035, "Invalid Form Body", issues));
      if (cb.type === 4 && isEmptyMessage(data))
        return attempt(this.error(400, 50006, "Cannot send an empty message"));
    }
    if (cb.type === 8) {
      const issues = validateChoices(data);
      if (issues.length > 0) return attempt(this.error(400, 50035, "Invalid Form Body", issues));
    }

    it.ackType = cb.type;
    let message: StoredMessage | undefined;
    if (cb.type === 4 || cb.type === 5) {
      message = this.createStoredMessage(it, data, cb.type === 5);
      it.originalId = message.api.id as string;
      if (cb.type === 4) it.visibleReply = this.record(message, it, "callback", data, at);
    } else if ((cb.type === 6 || cb.type === 7) && it.sourceMessageId) {
      it.originalId = it.sourceMessageId;
      message = this.messages.get(it.sourceMessageId);
      if (message && cb.type === 7) {
        this.applyEdit(message, data);
        it.visibleReply = this.record(message, it, "callback", data, at);
      }
    }
    if (query.get("with_response") !== "true") return attempt({ status: 204 });
    return attempt({
      status: 200,
      body: {
        interaction: {
          id: it.id,
          type: it.type,
          ...(message
            ? {
                response_message_id: message.api.id,
                response_message_loading: message.loading,
                response_message_ephemeral:
                  ((message.api.flags as number) & MESSAGE_FLAG_EPHEMERAL) !== 0,
              }
            : {}),
        },
        resource: { type: cb.type, ...(message ? { message: structuredClone(message.api) } : {}) },
      },
    });
  }

  protected findOwnedMessage(it: Interaction, messageId: string): StoredMessage | undefined {
    const id = messageId === "@original" ? it.originalId : messageId;
    if (!id) return undefined;
    const stored = this.messages.get(id);
    if (!stored) return undefined;
    // An interaction token reaches its own messages and the message its component sits on.
    return stored.interactionId === it.id || id === it.sourceMessageId ? stored : undefined;
  }

  protected onWebhookMessage(
    method: string,
    appId: string,
    token: string,
    messageId: string,
    body: unknown,
  ): Reply {
    const at = performance.now();
    const it = this.interactionsByToken.get(token);
    if (appId !== this.applicationId || !it) return this.error(404, 10015, "Unknown Webhook");
    const stored = this.findOwnedMessage(it, messageId);
    if (!stored) return this.error(404, 10008, "Unknown Message");
    if (method === "GET") return { status: 200, body: stored.api };
    if (method === "DELETE") {
      this.messages.delete(stored.api.id as string);
      if (it.originalId === stored.api.id) it.originalId = undefined;
      return { status: 204 };
    }
    const data: Json = isRecord(body) ? body : {};
    const issues = validateMessageData(data, []);
    if (issues.length > 0) return this.error(400, 50035, "Invalid Form Body", issues);
    this.applyEdit(stored, data);
    const rec = this.record(stored, it, "edit", data, at);
    it.edits.push(rec);
    if (!it.visibleReply && (it.ackType === 5 || it.ackType === 6)) it.visibleReply = rec;
    return { status: 200, body: stored.api };
  }

  protected onFollowUp(appId: string, token: string, query: URLSearchParams, body: unknown): Reply {
    const at = performance.now();
    const it = this.interactionsByToken.get(token);
    if (appId !== this.applicationId || !it || it.ackType === undefined) {
      return this.error(404, 10015, "Unknown Webhook");
    }
    const data: Json = isRecord(body) ? body : {};
    const issues = validateMessageData(data, []);
    if (issues.length > 0) return this.error(400, 50035, "Invalid Form Body", issues);
    if (isEmptyMessage(data)) return this.error(400, 50006, "Cannot send an empty message");
    let stored: StoredMessage;
    const original = it.originalId ? this.messages.get(it.originalId) : undefined;
    if (it.ackType === 5 && original?.loading) {
      // Discord fills the "thinking…" placeholder with the first follow-up after a deferral.
      stored = original;
      this.applyEdit(stored, data);
    } else {
      stored = this.createStoredMessage(it, data, false);
    }
    const rec = this.record(stored, it, "followUp", data, at);
    it.followUps.push(rec);
    if (!it.visibleReply) it.visibleReply = rec;
    return query.get("wait") === "true" ? { status: 200, body: stored.api } : { status: 204 };
  }
}

/** Thrown when a test sends a command Discord would not let that member use (it is not shown to them). */
class CommandNotPermitted extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CommandNotPermitted";
  }
}
