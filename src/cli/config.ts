// `tsvirt run --config vm.json`: a whole VM in one JSON object whose keys are the long option
// names of `tsvirt run`. The file is turned into the arguments it stands for and goes through the
// same option table and checks as the command line; docs/vm-config.schema.json describes it.

import { suggestion } from './spelling.js';

/** What the config reader needs to know about an option of the table (options.ts RUN_OPTIONS). */
export interface ConfigOption {
  readonly name: string;
  readonly kind: 'flag' | 'value' | 'list';
  readonly syntax?: string;
  readonly help: string;
}

/** A config file that cannot be used; the message names the file and the key at fault. */
export class ConfigError extends Error {
  constructor(path: string, problem: string) {
    super(`--config ${path}: ${problem}`);
  }
}

/** Keys that cannot appear in a config file (a file does not include another). */
const NOT_IN_FILE = new Set(['config']);

/**
 * The command-line arguments that `text` (the contents of the file at `path`) stands for, in the
 * order of its keys: a flag's `true` is `--name` (`false` is nothing), a value is `--name=VALUE`
 * (a number is written in decimal), and each item of a list is `--name=ITEM`. Throws
 * {@link ConfigError} for invalid JSON, a key that is not an option (with the nearest one) and a
 * value of the wrong type; the option's own checks come later, from the table.
 */
export function configArgs(path: string, text: string, options: readonly ConfigOption[]): string[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(path, `not valid JSON: ${(e as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConfigError(path, 'must be a JSON object whose keys are option names, e.g. {"memory": "1G"}');
  }
  const known = options.filter((o) => !NOT_IN_FILE.has(o.name));
  const args: string[] = [];
  for (const [key, v] of Object.entries(json as Record<string, unknown>)) {
    const o = known.find((x) => x.name === key);
    if (o === undefined) {
      const names = known.map((x) => x.name);
      throw new ConfigError(path, `unknown key '${key}'${suggestion(key, names)}`);
    }
    const wrong = (want: string): ConfigError =>
      new ConfigError(path, `key '${key}' must be ${want}, not ${JSON.stringify(v)}`);
    if (o.kind === 'flag') {
      if (typeof v !== 'boolean') throw wrong('true or false');
      if (v) args.push(`--${key}`);
    } else if (o.kind === 'value') {
      if (typeof v === 'string' || (typeof v === 'number' && Number.isSafeInteger(v))) {
        args.push(`--${key}=${v}`);
      } else {
        throw wrong(`a string (${o.syntax ?? 'VALUE'})`);
      }
    } else {
      const items = typeof v === 'string' ? [v] : v;
      if (!Array.isArray(items) || !items.every((x) => typeof x === 'string')) {
        throw wrong(`a list of strings (${o.syntax ?? 'VALUE'})`);
      }
      for (const item of items) args.push(`--${key}=${item}`);
    }
  }
  return args;
}

/**
 * The JSON Schema (draft 2020-12) of a config file for `options`: one property per option, no
 * other keys. docs/vm-config.schema.json is this, and a test keeps the two equal.
 */
export function configSchema(options: readonly ConfigOption[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const o of options) {
    if (NOT_IN_FILE.has(o.name)) continue;
    const description = `${o.syntax === undefined ? '' : `${o.syntax}: `}${o.help.replace(/\n/g, ' ')}`;
    if (o.kind === 'flag') properties[o.name] = { type: 'boolean', description };
    else if (o.kind === 'value') properties[o.name] = { type: ['string', 'integer'], description };
    else {
      properties[o.name] = {
        description,
        oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
      };
    }
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'tsvirt run --config file',
    description:
      'A VM for `tsvirt run --config FILE`: each key is a long option of `tsvirt run` (docs/usage.md), ' +
      'each value what the option takes on the command line. Options given on the command line as well ' +
      'override a value; list options (disk, net) add to the list.',
    type: 'object',
    additionalProperties: false,
    properties,
  };
}
