// The command line shared by the fuzz campaigns: `--name value` options that are bounded integers
// or one of a few words, and `--name` flags. A wrong option stops the campaign before it starts,
// naming the option, rather than running with NaN cases or a seed nobody can replay.

import { pathToFileURL } from 'node:url';

/** An integer option, `min` to `max` inclusive (both safe integers). */
export interface IntOption {
  readonly int: { readonly default: number; readonly min: number; readonly max: number };
}
/** A word among `choices`. */
export interface ChoiceOption<T extends string = string> {
  readonly choice: { readonly default: T; readonly choices: readonly T[] };
}
/** A flag: true when given, and it takes no value. */
export interface FlagOption {
  readonly flag: true;
}
export type FuzzOption = IntOption | ChoiceOption | FlagOption;

/** The values parsed for `spec`, by option name. */
export type FuzzArgs<S extends Record<string, FuzzOption>> = {
  -readonly [K in keyof S]: S[K] extends ChoiceOption<infer T>
    ? T
    : S[K] extends IntOption
      ? number
      : boolean;
};

/** A command line the spec does not accept; the message names the option. */
export class FuzzArgsError extends Error {}

/** The largest seed or count the campaigns take (seeds are mixed as 32-bit integers). */
export const U32_MAX = 0xffff_ffff;

/**
 * `argv` (without node and the script) read against `spec`. Every option is optional; one given
 * twice keeps its last value. Throws FuzzArgsError for an unknown option, a missing value, an
 * integer out of bounds or a word not among the choices.
 */
export function parseFuzzArgs<S extends Record<string, FuzzOption>>(
  argv: readonly string[],
  spec: S,
): FuzzArgs<S> {
  const values: Record<string, number | string | boolean> = {};
  for (const [name, opt] of Object.entries(spec)) {
    values[name] = 'int' in opt ? opt.int.default : 'choice' in opt ? opt.choice.default : false;
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    const opt = name === undefined || !Object.hasOwn(spec, name) ? undefined : spec[name];
    if (name === undefined || opt === undefined) throw new FuzzArgsError(`unknown option ${arg}`);
    if ('flag' in opt) {
      values[name] = true;
      continue;
    }
    const value = argv[++i];
    if (value === undefined) throw new FuzzArgsError(`${arg} needs a value`);
    if ('int' in opt) {
      const { min, max } = opt.int;
      // Number('') and Number(' ') are 0: only digits (and a sign) are taken as a number.
      const n = /^[+-]?\d+$/.test(value) ? Number(value) : NaN;
      if (!Number.isSafeInteger(n) || n < min || n > max) {
        throw new FuzzArgsError(`${arg} ${value}: expected an integer from ${min} to ${max}`);
      }
      values[name] = n;
    } else {
      if (!opt.choice.choices.includes(value)) {
        throw new FuzzArgsError(`${arg} ${value}: expected one of ${opt.choice.choices.join(', ')}`);
      }
      values[name] = value;
    }
  }
  return values as FuzzArgs<S>;
}

/** The usage line for `command` (how the campaign is started) and `spec`. */
export function fuzzUsage(command: string, spec: Record<string, FuzzOption>): string {
  const parts = Object.entries(spec).map(([name, opt]) =>
    'flag' in opt
      ? `[--${name}]`
      : 'int' in opt
        ? `[--${name} N]`
        : `[--${name} ${opt.choice.choices.join('|')}]`,
  );
  return `usage: ${command} ${parts.join(' ')}`;
}

/**
 * Runs `main` with the parsed command line when `moduleUrl` (the caller's import.meta.url) is the
 * script node was started with, so the campaign's module can also be imported by its test. Bad
 * arguments print the error and the usage line and exit with status 2; otherwise the exit status
 * is `main`'s.
 */
export function runFuzzCommand<S extends Record<string, FuzzOption>>(
  moduleUrl: string,
  command: string,
  spec: S,
  main: (args: FuzzArgs<S>) => Promise<number>,
): void {
  const script = process.argv[1];
  if (script === undefined || moduleUrl !== pathToFileURL(script).href) return;
  let args: FuzzArgs<S>;
  try {
    args = parseFuzzArgs(process.argv.slice(2), spec);
  } catch (e) {
    if (!(e instanceof FuzzArgsError)) throw e;
    process.stderr.write(`${e.message}\n${fuzzUsage(command, spec)}\n`);
    process.exitCode = 2;
    return;
  }
  main(args).then((status) => process.exit(status));
}
