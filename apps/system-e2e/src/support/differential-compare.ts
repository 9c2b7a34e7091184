import { CommandResult } from './app-process';
import { Answer, Pair, onBoth } from './differential';
import { REWORDED, documented } from './documented-differences';
import { scrub, shapeOf, withoutDocumented } from './json-shape';

type Rules = readonly [RegExp, string][];

/** What a CLI run shows a user, with what must differ scrubbed. */
export function seen(result: CommandResult, rules: Rules = [], sortLines = false) {
  const out = (text: string) => {
    const scrubbed = scrub(text, rules);
    return sortLines ? [...new Set(scrubbed.split('\n'))].sort().join('\n') : scrubbed;
  };
  const stderr = REWORDED.reduce((m, [from, to]) => m.replace(from, to), out(result.stderr));
  return { code: result.code, stdout: out(result.stdout), stderr };
}

/** sameCli runs `docker <args>` against both daemons and expects the same exit code and output. */
export async function sameCli(
  pair: Pair,
  args: string[],
  rules: Rules = [],
  sortLines = false,
): Promise<[CommandResult, CommandResult]> {
  const [oracle, stevedore] = await onBoth(pair, (side) => side.docker(...args));
  expect(seen(stevedore, rules, sortLines)).toEqual(seen(oracle, rules, sortLines));
  return [oracle, stevedore];
}

/** reworded brings an error body's message to the newer dockerd's wording (REWORDED). */
function reworded(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || !('message' in body)) return body;
  const message = REWORDED.reduce((m, [from, to]) => m.replace(from, to), String(body.message));
  return { ...body, message };
}

/** What an API answer shows a client: status, error message, or the JSON body's shape. */
export function shapeOfAnswer(answer: Answer, endpoint: string) {
  const json = answer.type.startsWith('application/json');
  const body: unknown = json && answer.text !== '' ? JSON.parse(answer.text) : answer.text;
  if (answer.status >= 400) return { status: answer.status, body: reworded(body) };
  return { status: answer.status, shape: withoutDocumented(shapeOf(body), documented(endpoint)) };
}

/**
 * sameApi sends one request to both daemons and expects the same status, the same error message,
 * and the same JSON key paths and types (less the endpoint's documented differences).
 */
export async function sameApi(
  pair: Pair,
  endpoint: string,
  method: string,
  path: string,
  body?: Buffer | string,
  type?: string,
): Promise<[Answer, Answer]> {
  const [oracle, stevedore] = await onBoth(pair, (side) => side.api(method, path, body, type));
  expect(shapeOfAnswer(stevedore, endpoint)).toEqual(shapeOfAnswer(oracle, endpoint));
  return [oracle, stevedore];
}
