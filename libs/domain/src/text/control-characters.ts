import type { FieldProblem } from '../errors';

/**
 * C0 control characters other than TAB, LF and CR, and DEL. No field of the API takes them:
 * PostgreSQL refuses NUL in text, and the rest only ever hide text from the people who read it.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

export const CONTROL_CHARACTER_PROBLEM = 'must not contain control characters (other than tab, line feed and carriage return)';

export function hasControlCharacters(text: string): boolean {
  return CONTROL_CHARACTER.test(text);
}

/** The text without its control characters: the last line of defence where user text is written. */
export function stripControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, '');
}

/** A key as a field path shows it: control characters escaped, so a problem never repeats them. */
function printable(key: string): string {
  return key.replace(CONTROL_CHARACTERS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Every string (and object key) holding a control character, anywhere in a JSON-like value, as
 * field paths the way validation names them: `lines[0].sku`, `q[1]`. Stops at `maxDepth`, which
 * only a value the body parser already refused could exceed.
 */
export function findControlCharacters(value: unknown, path: string, maxDepth = 64): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const walk = (node: unknown, at: string, depth: number): void => {
    if (typeof node === 'string') {
      if (hasControlCharacters(node)) problems.push({ field: at, problem: CONTROL_CHARACTER_PROBLEM });
      return;
    }
    if (depth >= maxDepth || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${at}[${i}]`, depth + 1));
      return;
    }
    for (const [key, item] of Object.entries(node)) {
      const field = at ? `${at}.${printable(key)}` : printable(key);
      if (hasControlCharacters(key)) problems.push({ field, problem: 'is not an allowed field (its name holds control characters)' });
      walk(item, field, depth + 1);
    }
  };
  walk(value, path, 0);
  return problems;
}
