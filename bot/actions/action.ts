import { z } from 'zod';
import { AdaptiveCard } from '../../cards/adaptiveCard';
import { ApprovalVerb } from '../../cards/approvalCard';
import { Actor } from '../../policy/caseRecord';
import { plainText } from '../../policy/plainText';
import { ActionTracker } from '../../services/actionTracker';
import { ApprovalService } from '../../services/approvalService';
import { NewStarterMatcher } from '../../services/newStarterMatcher';
import { Membership } from '../../services/schoolDirectory';

export interface ActionContext {
  membership: Membership;
  actor: Actor;
  approvals: ApprovalService;
  tracker: ActionTracker;
  /** Matching a new starter to the register (absent where the app is composed without it). */
  newStarters?: NewStarterMatcher;
  /** A line to post in the chat after the card is answered (the outcome of a decision). */
  say?: (line: string) => void;
}

/** One Universal Action verb: its data schema (parsed at the edge) and what it does. */
export interface ActionHandler<T> {
  verb: ApprovalVerb;
  schema: z.ZodType<T>;
  handle(ctx: ActionContext, data: T): Promise<AdaptiveCard | undefined>;
}

export const caseIdSchema = z.string().regex(/^[0-9TZ]{16}-[A-Z0-9]{6}$/, 'not a case id');
/** A reason or a note typed on a card: plain text (see plainText), blank meaning none. */
const optionalText = (max: number) =>
  z.preprocess((v) => (typeof v === 'string' ? (plainText(v).trim() === '' ? undefined : plainText(v)) : v), z.string().trim().max(max).optional());
export const reasonSchema = optionalText(1000);
export const noteSchema = optionalText(1000);

export function defineAction<T>(handler: ActionHandler<T>): ActionHandler<T> {
  return handler;
}

export type ActionResult = { ok: true; card: AdaptiveCard | undefined } | { ok: false; message: string };

/** A verb's handler behind one untyped entry point: the data is parsed with the verb's own schema first. */
export interface ActionRunner {
  verb: ApprovalVerb;
  run(ctx: ActionContext, raw: unknown): Promise<ActionResult>;
}

export function runner<T>(handler: ActionHandler<T>): ActionRunner {
  return {
    verb: handler.verb,
    run: async (ctx, raw) => {
      const parsed = handler.schema.safeParse(raw);
      if (!parsed.success) return { ok: false, message: 'That button sent something this version of the app does not understand.' };
      return { ok: true, card: await handler.handle(ctx, parsed.data) };
    },
  };
}
