/**
 * One interaction as Discord tracks it: its token, the initial response (exactly one, within
 * the deadline: 3 s at Discord, else 10062 Unknown interaction), edits of the original
 * message and follow-ups. Tests hold it as an {@link InteractionHandle} and wait on it.
 */
import type {
  InteractionHandle,
  RecordedMessage,
  RecordedRejection,
  RecordedResponse,
} from "./api.js";
import { DEFAULT_TIMEOUT_MS, type Json } from "./internal.js";

/** What an interaction needs of the endpoint: its bounded wait. */
interface Waiting {
  waitUntil(
    pred: () => boolean,
    timeoutMs: number,
    what: () => string,
    pollMs?: number,
  ): Promise<void>;
}

export class Interaction implements InteractionHandle {
  readonly callbacks: RecordedResponse[] = [];
  readonly edits: RecordedMessage[] = [];
  readonly followUps: RecordedMessage[] = [];
  readonly rejections: RecordedRejection[] = [];
  visibleReply: RecordedMessage | undefined;
  delivered = false;
  /** Type of the accepted initial response, once there is one. */
  ackType: number | undefined;
  /** The message "@original" refers to. */
  originalId: string | undefined;
  private deliveredAt: number | undefined;

  constructor(
    private readonly fake: Waiting,
    readonly id: string,
    readonly token: string,
    readonly kind: "command" | "autocomplete" | "button",
    readonly type: number,
    readonly guildId: string,
    readonly channelId: string,
    readonly shard: number,
    readonly user: Json,
    readonly name: string,
    readonly sourceMessageId: string | undefined,
    readonly payload: Json,
    readonly createdAt: number,
  ) {}

  get sentAt(): number {
    return this.deliveredAt ?? this.createdAt;
  }

  markDelivered(): void {
    if (this.delivered) return;
    this.delivered = true;
    this.deliveredAt = performance.now();
  }

  private describe(): string {
    const statuses = this.callbacks.map((c) => c.status).join(",") || "none";
    return (
      `${this.kind} interaction ${this.id} (${this.name}): delivered=${this.delivered}, ` +
      `callbacks=[${statuses}], edits=${this.edits.length}, followUps=${this.followUps.length}, ` +
      `rejections=${this.rejections.map((r) => r.code).join(",") || "none"}`
    );
  }

  async waitForResponse(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<RecordedResponse> {
    await this.fake.waitUntil(
      () => this.callbacks.length > 0,
      timeoutMs,
      () => `a callback for ${this.describe()}`,
    );
    return this.callbacks[0] as RecordedResponse;
  }

  async waitForVisibleReply(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<RecordedMessage> {
    await this.fake.waitUntil(
      () => this.visibleReply !== undefined,
      timeoutMs,
      () => `a visible reply for ${this.describe()}`,
    );
    return this.visibleReply as RecordedMessage;
  }

  waitFor(pred: () => boolean, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    return this.fake.waitUntil(pred, timeoutMs, () => `a condition on ${this.describe()}`, 10);
  }
}
