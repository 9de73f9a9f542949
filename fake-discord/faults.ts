/**
 * REST faults on demand: the next matching requests fail with a status (a 429 with
 * Retry-After, a 500, a 403 with Discord's error body) or are held for a delay first, as a
 * rate-limited or struggling Discord would do. A 429 is Discord's: `Retry-After` in seconds,
 * `X-RateLimit-Scope`, and a body with `retry_after` and `global`; the request it answers
 * had no effect.
 */
import type { FaultRule } from "./api.js";
import { ChannelMessages } from "./channel-messages.js";
import type { Reply } from "./internal.js";

export interface FaultState extends FaultRule {
  remaining: number;
}

export abstract class FaultInjection extends ChannelMessages {
  protected readonly faults: FaultState[] = [];

  failNext(rule: FaultRule): void {
    this.faults.push({ ...rule, remaining: rule.count ?? 1 });
  }

  protected takeFault(method: string, path: string): FaultState | undefined {
    const rule = this.faults.find((f) => {
      if (f.remaining <= 0 || (f.method && f.method.toUpperCase() !== method)) return false;
      // A /g or /y RegExp keeps lastIndex between calls; every request deserves a fresh match.
      f.path.lastIndex = 0;
      return f.path.test(path);
    });
    if (rule) rule.remaining--;
    return rule;
  }

  protected faultReply(fault: FaultState): Reply {
    const status = fault.status ?? 500;
    const headers: Record<string, string> = {};
    const retryAfter = fault.retryAfterSeconds ?? (status === 429 ? 1 : undefined);
    if (retryAfter !== undefined) headers["Retry-After"] = String(retryAfter);
    if (status === 429) {
      headers["X-RateLimit-Scope"] = fault.global ? "global" : (fault.scope ?? "user");
      if (fault.global) headers["X-RateLimit-Global"] = "true";
    }
    let body = fault.body;
    if (body === undefined) {
      body =
        status === 429
          ? {
              message: "You are being rate limited.",
              retry_after: retryAfter ?? 1,
              global: fault.global === true,
            }
          : {
              message: status >= 500 ? "Internal Server Error" : `${status}: fake-discord fault`,
              code: 0,
            };
    }
    return { status, body, headers };
  }
}
