/**
 * Who may use a command, as Discord decides before it delivers the interaction. Mirrors
 * Discord's application command permissions: a member with Administrator may use every
 * command; otherwise the guild's overwrites for the command (set by a server admin under
 * Server Settings → Integrations, or `PUT …/commands/{id}/permissions` with an admin's Bearer
 * token) decide — a channel disabled is disabled, a user overwrite beats role overwrites, any
 * allowed role allows, the @everyone overwrite (id = the guild's) comes last — and without an
 * overwrite, the member needs every permission in the command's `default_member_permissions`
 * (`null`: anyone; `"0"`: nobody but administrators). A member who may not use a command does
 * not see it, so nothing is sent to the bot.
 */

/** One overwrite, as in Discord's application command permissions object. */
export interface CommandPermission {
  /** A role id, a user id, or a channel id; the guild's id is @everyone. */
  id: string;
  /** 1 role, 2 user, 3 channel. */
  type: 1 | 2 | 3;
  permission: boolean;
}

const ADMINISTRATOR = 1n << 3n;

export interface CommandUse {
  guildId: string;
  channelId: string;
  userId: string;
  roles: readonly string[];
  /** The member's permissions in the channel (decimal string, as sent in the interaction). */
  permissions: string;
  /** The registered command's `default_member_permissions`. */
  defaultMemberPermissions: string | null | undefined;
  overwrites: readonly CommandPermission[];
}

/** Why Discord would not deliver this use of a command, or undefined when it would. */
export function refusal(use: CommandUse): string | undefined {
  const member = BigInt(use.permissions);
  if ((member & ADMINISTRATOR) === ADMINISTRATOR) return undefined;
  const find = (type: CommandPermission["type"], id: string) =>
    use.overwrites.find((o) => o.type === type && o.id === id);
  if (find(3, use.channelId)?.permission === false)
    return "the command is disabled in this channel";
  const user = find(2, use.userId);
  if (user) return user.permission ? undefined : "the command is denied to this member";
  const roles = use.roles.map((r) => find(1, r)).filter((o) => o !== undefined);
  if (roles.some((o) => o.permission)) return undefined;
  if (roles.length > 0) return "the command is denied to the member's roles";
  const everyone = find(1, use.guildId);
  if (everyone) return everyone.permission ? undefined : "the command is denied to @everyone";
  const required = use.defaultMemberPermissions;
  if (required === null || required === undefined) return undefined;
  const bits = BigInt(required);
  if (bits !== 0n && (member & bits) === bits) return undefined;
  return `the member lacks default_member_permissions ${required} and no overwrite allows them`;
}
