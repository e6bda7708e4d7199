/**
 * Where a field path (`fields.sex.values.F`, as the server's problem issues name them) is in a JSON text: the line
 * of the property's key, found with `jsonc-parser`'s syntax tree. A path whose end is not in the text (a property
 * the server says is missing) falls back to the deepest part that is; a key holding dots is matched by joining
 * segments. Also the line of the first syntax error, for a text that is not JSON at all.
 */
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';

export const lineAt = (text: string, offset: number): number => text.slice(0, offset).split('\n').length;

function child(node: Node, segment: string): Node | undefined {
  if (node.type === 'object') return node.children?.find((p) => p.children?.[0]?.value === segment);
  if (node.type === 'array' && /^\d+$/.test(segment)) return node.children?.[Number(segment)];
  return undefined;
}

/** The 1-based line of `path` in `text`, or undefined when the text is not JSON. */
export function lineOfPath(text: string, path: string): number | undefined {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (root === undefined || errors.length > 0) return undefined;
  const segments = path === '' ? [] : path.split('.');
  let node: Node = root;
  let i = 0;
  while (i < segments.length) {
    let found: Node | undefined;
    let used = 0;
    // The longest run of segments that names one key (keys may hold dots).
    for (let j = segments.length; j > i && found === undefined; j--) {
      const property = child(node, segments.slice(i, j).join('.'));
      if (property !== undefined) {
        found = property;
        used = j - i;
      }
    }
    if (found === undefined) break;
    i += used;
    // An object's member is a property node: [key, value]; step into its value to go deeper.
    if (found.type === 'property') {
      if (i === segments.length) return lineAt(text, found.offset);
      const value = found.children?.[1];
      if (value === undefined) return lineAt(text, found.offset);
      node = value;
    } else {
      node = found;
    }
  }
  return lineAt(text, node.offset);
}

/** The first syntax error of a JSON text, with its line; undefined when it parses. */
export function syntaxError(text: string): { line: number; message: string } | undefined {
  const errors: ParseError[] = [];
  parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const first = errors[0];
  return first === undefined
    ? undefined
    : { line: lineAt(text, first.offset), message: printParseErrorCode(first.error) };
}
