// ARM template expressions. Resource Manager evaluates a string that starts with `[` and ends with
// `]` when it deploys; inside one, function calls nest without further brackets. The helpers here
// build the inner parts, and `expression` wraps the whole.

/** A string Resource Manager evaluates at deployment. */
export type Expression = `[${string}]`;

export function expression(inner: string): Expression {
  return `[${inner}]`;
}

/** A string literal inside an expression: single quotes, and a quote doubled to escape it. */
export function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

export function format(pattern: string, ...values: string[]): string {
  return `format(${[literal(pattern), ...values].join(', ')})`;
}
