/**
 * The endpoint decides who may use a command as Discord's application command permissions
 * say, so that a test cannot send what Discord would never deliver.
 */
import { describe, expect, it } from "vitest";
import { type CommandUse, refusal } from "../fake-discord/command-permissions.js";

const MEMBER = (1n << 10n) | (1n << 11n); // view channel, send messages
const MANAGE_GUILD = 1n << 5n;
const ADMINISTRATOR = 1n << 3n;
const use = (over: Partial<CommandUse> = {}): CommandUse => ({
  guildId: "100000000000000001",
  channelId: "100000000000000002",
  userId: "100000000000000003",
  roles: ["100000000000000004"],
  permissions: MEMBER.toString(),
  defaultMemberPermissions: MANAGE_GUILD.toString(),
  overwrites: [],
  ...over,
});

describe("who may use a command", () => {
  it("needs every permission of default_member_permissions without an overwrite", () => {
    expect(refusal(use())).toMatch(/lacks default_member_permissions 32/);
    expect(refusal(use({ permissions: (MEMBER | MANAGE_GUILD).toString() }))).toBeUndefined();
    expect(refusal(use({ defaultMemberPermissions: null }))).toBeUndefined();
    expect(
      refusal(
        use({ defaultMemberPermissions: "0", permissions: (MEMBER | MANAGE_GUILD).toString() }),
      ),
    ).toMatch(/lacks/);
  });

  it("lets an Administrator use every command, whatever the overwrites", () => {
    const admin = (MEMBER | ADMINISTRATOR).toString();
    expect(refusal(use({ permissions: admin, defaultMemberPermissions: "0" }))).toBeUndefined();
    expect(
      refusal(
        use({
          permissions: admin,
          overwrites: [{ id: "100000000000000003", type: 2, permission: false }],
        }),
      ),
    ).toBeUndefined();
  });

  it("takes a user overwrite over role overwrites, any allowed role over denied ones, and @everyone last", () => {
    const user = { id: "100000000000000003", type: 2, permission: false } as const;
    const role = { id: "100000000000000004", type: 1, permission: true } as const;
    const everyone = { id: "100000000000000001", type: 1, permission: true } as const;
    expect(refusal(use({ overwrites: [role] }))).toBeUndefined();
    expect(refusal(use({ overwrites: [role, user] }))).toMatch(/denied to this member/);
    expect(refusal(use({ overwrites: [{ ...role, permission: false }, everyone] }))).toMatch(
      /denied to the member's roles/,
    );
    expect(refusal(use({ overwrites: [everyone] }))).toBeUndefined();
    expect(
      refusal(
        use({ overwrites: [{ id: "100000000000000002", type: 3, permission: false }, role] }),
      ),
    ).toMatch(/disabled in this channel/);
  });
});
