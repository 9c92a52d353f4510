import { z } from 'zod';
import { AdaptiveCard } from '../../cards/adaptiveCard';
import { FormCardFrame } from '../../cards/formCard';
import { FormServices } from '../../services/formServices';
import { Answers, FormContext } from './formContext';

/** What came back: the submitted card data (untrusted), or text typed instead. */
export interface Reply {
  value?: Record<string, unknown>;
  text?: string;
}

export type Parsed = { ok: true; value: unknown } | { ok: false; message: string; card?: AdaptiveCard };

export interface QuestionEnv {
  ctx: FormContext;
  answers: Answers;
  frame: FormCardFrame;
  services: FormServices;
}

/** One step of a guided dialog: the card that asks, and how to read the answer. */
export interface Question {
  id: string;
  /** Shown when someone types "help" at this step. */
  help: string;
  /** A question that does not apply (for example the decision's dates for a teacher). */
  skip?(answers: Answers, ctx: FormContext): boolean;
  ask(env: QuestionEnv): AdaptiveCard | Promise<AdaptiveCard>;
  /** Validates the reply with zod; on failure says what to fix (and may offer a different card). */
  parse(reply: Reply, env: QuestionEnv): Parsed | Promise<Parsed>;
  /**
   * Reads the answer from the sentence that started the dialog ("I am worried Sam might get
   * excluded"), before the question is first asked: undefined to ask it as usual.
   */
  fromOpening?(opening: string, env: QuestionEnv): Promise<Presumed | undefined>;
  /**
   * Where words that start another dialog or show the menu are commands, never an answer (the
   * name step: "new starter" is not a child): the typed text to read as one, from the message or the card.
   */
  commandText?(reply: Reply): string | undefined;
}

/**
 * What the opening sentence says: a reply, read by `parse` as if it had been given (so every check
 * of the question still applies), with a line saying so; or what to ask instead.
 */
export type Presumed = { kind: 'said'; reply: Reply; note: string } | { kind: 'ask'; message: string; card?: AdaptiveCard };

/** Commands that work at every step. Typed text must match exactly, so "Back in class, he..." is an answer, not a command. */
export type Command = 'cancel' | 'back' | 'help';

export function commandOf(reply: Reply): Command | undefined {
  const verb = reply.value?.verb;
  if (verb === 'cancel' || verb === 'back' || verb === 'help') return verb;
  const t = (reply.text ?? '').trim().toLowerCase().replace(/[.!]+$/, '');
  if (['cancel', 'stop', 'quit', 'exit', 'never mind', 'nevermind'].includes(t)) return 'cancel';
  if (['back', 'go back', 'previous'].includes(t)) return 'back';
  if (['help', '?', 'what do i do', 'menu'].includes(t)) return 'help';
  return undefined;
}

/** Reads a zod error as one plain sentence for the person answering. */
export function firstProblem(issues: ReadonlyArray<{ message: string }>): string {
  return issues[0]?.message ?? 'Something in that answer was not right.';
}

/** Validates an answer with its schema: the value, or the first problem in plain words. */
export function parseWith(schema: z.ZodType, input: unknown): Parsed {
  const parsed = schema.safeParse(input);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, message: firstProblem(parsed.error.issues) };
}
