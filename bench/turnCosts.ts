import { CpuReader } from './processes';

export interface TurnCostParts {
  bot: number;
  storage: number;
  driver: number;
}

/** One kind of turn: its CPU while the request was open, and the bot's and the emulator's after it was answered (work after answers), each a turn's mean in ms. */
export interface TurnCost {
  kind: string;
  turns: number;
  during: TurnCostParts;
  after: Pick<TurnCostParts, 'bot' | 'storage'>;
  /** How long after the answer the bot fell quiet, ms (the settle limit when it did not). */
  quietAfterMs: number;
}

export interface TurnCostOptions {
  /** Turns counted, one at a time. */
  turns: number;
  /** Turns sent first and not counted (a new chat's first turns, code not yet optimised). */
  warm?: number;
  /** The kind of the turn about to be sent (read before it is sent). */
  kindOf: () => string;
  /** Sends one turn and waits for its answer. */
  one: () => Promise<void>;
  cpu: { bot: CpuReader; storage: CpuReader; driver: CpuReader };
  /** Counted as quiet when the bot's CPU grows less than this (ms) in `pollMs`; 0.2 and 25 unless told. */
  quietMs?: number;
  pollMs?: number;
  /** The longest to wait for the bot to fall quiet after a turn; 3 s unless told. */
  settleLimitMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Each kind of turn's CPU, one conversation at a time, so that every ms the bot, the emulator and
 * this driver spend while a request is open belongs to that request. At 20 concurrent a request's
 * time follows the CPU of all three together (two cores, nearly full), so this says which turns the
 * dialog line's extra comes from. After each answer the bot is left until it falls quiet (a Send's
 * staff cards go out then) and that is counted apart, as the bot's work after answers.
 */
export async function turnCosts(o: TurnCostOptions): Promise<TurnCost[]> {
  const quietMs = o.quietMs ?? 0.2;
  const pollMs = o.pollMs ?? 25;
  const settleLimitMs = o.settleLimitMs ?? 3000;
  const sums = new Map<string, { turns: number; during: TurnCostParts; after: Pick<TurnCostParts, 'bot' | 'storage'>; quietAfterMs: number }>();
  const read = () => ({ bot: o.cpu.bot(), storage: o.cpu.storage(), driver: o.cpu.driver() });
  /** Waits until the bot falls quiet after an answer (or the settle limit). */
  const settle = async () => {
    const settleBy = Date.now() + settleLimitMs;
    let last = o.cpu.bot();
    for (;;) {
      await sleep(pollMs);
      const now = o.cpu.bot();
      // Written so that NaN (the bot gone) counts as quiet.
      if (!(now - last >= quietMs) || Date.now() > settleBy) return;
      last = now;
    }
  };
  // Warm-up turns settle too: a Send's staff cards must not go out inside the first counted turn.
  for (let i = 0; i < (o.warm ?? 0); i++) {
    await o.one();
    await settle();
  }
  for (let i = 0; i < o.turns; i++) {
    const kind = o.kindOf();
    const before = read();
    await o.one();
    const answered = read();
    const answeredAt = Date.now();
    await settle();
    const quiet = read();
    const sum = sums.get(kind) ?? { turns: 0, during: { bot: 0, storage: 0, driver: 0 }, after: { bot: 0, storage: 0 }, quietAfterMs: 0 };
    sum.turns++;
    sum.quietAfterMs += Date.now() - answeredAt;
    sum.during.bot += answered.bot - before.bot;
    sum.during.storage += answered.storage - before.storage;
    sum.during.driver += answered.driver - before.driver;
    sum.after.bot += quiet.bot - answered.bot;
    sum.after.storage += quiet.storage - answered.storage;
    sums.set(kind, sum);
  }
  return [...sums].map(([kind, s]) => ({
    kind,
    turns: s.turns,
    during: { bot: s.during.bot / s.turns, storage: s.during.storage / s.turns, driver: s.during.driver / s.turns },
    after: { bot: s.after.bot / s.turns, storage: s.after.storage / s.turns },
    quietAfterMs: s.quietAfterMs / s.turns,
  }));
}

/** A turn's CPU while it was open, all three parts together. */
export const totalDuring = (c: TurnCost): number => c.during.bot + c.during.storage + c.during.driver;

/** The kinds of a concern's question turns, as the bench names them; then Send (or cancel). */
export const CONCERN_TURNS = ['start ("attendance")', 'the child', 'what happened'];

/**
 * The concern's CPU a turn against the echo's, one at a time (all three parts while each request was
 * open), as it is and with either part at an echo turn's cost: which of the two the dialog line
 * would need cut. Undefined unless all five kinds were measured.
 */
export function concernIf(costs: readonly TurnCost[]): { asIs: number; questionsAsEcho: number; sendAsEcho: number } | undefined {
  const of = (kind: string) => costs.find((c) => c.kind === kind);
  const echoTurn = costs.find((c) => c.kind.startsWith('echo'));
  const questions = CONCERN_TURNS.map(of);
  const send = of('Send');
  if (!echoTurn || !send || questions.some((q) => !q)) return undefined;
  const e = totalDuring(echoTurn);
  const q = questions.reduce((sum, c) => sum + totalDuring(c!), 0);
  const sd = totalDuring(send);
  return { asIs: (q + sd) / (4 * e), questionsAsEcho: (3 * e + sd) / (4 * e), sendAsEcho: (q + e) / (4 * e) };
}
