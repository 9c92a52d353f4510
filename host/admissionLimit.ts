/**
 * How many messages the server takes at once, following how long answers take rather than a fixed
 * count. A fixed count right for one machine is wrong for another: in the benchmark's trust of 500
 * conversations on two cores, 32 at once left the DSL's Approve waiting over a second (Teams shows
 * an error on a card button not answered in a few seconds) and the pupil search up to 1.8 s, while
 * 16 answered both in time; yet 16 would turn away a school's 20 at once on a machine with room.
 *
 * So the limit starts at the most allowed (MAX_CONCURRENT_MESSAGES) and falls by a quarter when an
 * answer comes later than its target, once for each round of requests (the slow answers of one
 * crowded moment all say the same thing), never below half the most; each answer in time while the
 * limit is in use raises it by a little (one place for a round of answers in time). Additive
 * increase, multiplicative decrease: the rule TCP uses to share a link, here to share a machine.
 */

export type AnswerKind = 'invoke' | 'message';

export interface AdmissionLimitOptions {
  /** The most at once (MAX_CONCURRENT_MESSAGES). */
  max: number;
  /**
   * An invoke (a card button, a pupil search) answered later than this (ms) says the server has
   * taken more than it can answer in time: Teams shows the user an error on a late invoke.
   */
  invokeTargetMs: number;
  /** Likewise for a message (a dialog's turn), which Teams gives longer and retries unseen. */
  messageTargetMs: number;
}

/**
 * Targets at three quarters of what the benchmark's trust scenario allows (invokes within 1 s,
 * message turns within 3 s at the 99th percentile), so the limit falls before answers break it.
 */
export const INVOKE_TARGET_MS = 750;
export const MESSAGE_TARGET_MS = 2_000;

/** A request admitted: given back with how long its answer took, or without (refused before it was handled). */
export interface Place {
  readonly ticket: number;
}

export class AdmissionLimit {
  private limit: number;
  private readonly min: number;
  private inUse = 0;
  private tickets = 0;
  /** The last ticket given out when the limit last fell: only a request admitted after it may make it fall again. */
  private lastCutTicket = 0;

  constructor(private readonly o: AdmissionLimitOptions) {
    this.limit = o.max;
    this.min = Math.max(1, Math.ceil(o.max / 2));
  }

  /** The number admitted at once now. */
  get current(): number {
    return Math.floor(this.limit);
  }

  get admitted(): number {
    return this.inUse;
  }

  /** A place if there is room, else undefined (answer 503 with Retry-After). */
  tryTake(): Place | undefined {
    if (this.inUse >= this.current) return undefined;
    this.inUse++;
    return { ticket: ++this.tickets };
  }

  /** Takes a place whatever the limit (work that goes on after its answer still uses the machine). */
  hold(): () => void {
    this.inUse++;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.inUse--;
    };
  }

  /** Gives a place back; with `answered`, how long the answer took moves the limit. */
  give(place: Place, answered?: { kind: AnswerKind; tookMs: number }): void {
    // Counted before this place is given back: a rise is earned only while the limit was in use.
    const wasFull = this.inUse >= this.current - 1;
    this.inUse--;
    if (!answered) return;
    const target = answered.kind === 'invoke' ? this.o.invokeTargetMs : this.o.messageTargetMs;
    if (answered.tookMs > target) {
      if (place.ticket > this.lastCutTicket) {
        this.limit = Math.max(this.min, this.limit * 0.75);
        this.lastCutTicket = this.tickets;
      }
    } else if (wasFull) {
      this.limit = Math.min(this.o.max, this.limit + 1 / this.limit);
    }
  }
}
