/** What may be logged about an error: its kind, a bounded message and any HTTP status. Never a stack in a response. */
export function errorSummary(err: unknown): { name: string; message: string; status?: number } {
  if (err instanceof Error) {
    const status = (err as { statusCode?: unknown }).statusCode;
    return { name: err.name, message: err.message.slice(0, 300), ...(typeof status === 'number' ? { status } : {}) };
  }
  return { name: 'unknown', message: String(err).slice(0, 300) };
}
