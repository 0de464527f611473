import { Command, type ParseOptionsResult } from 'commander';

/**
 * Prefixed to an argument while commander parses it so that it is not taken
 * for an option. An argument from the OS cannot contain NUL, so the prefix
 * can never be part of what was typed.
 */
const DATA_MARK = '\u0000';

const HELP_FLAGS = new Set(['-h', '--help']);

/**
 * A command whose arguments are data even when they start with `-`: a search
 * for "-control", a file named `-weird-name.md`, a connector named "-x".
 * Commander reads any such word as an unknown option (and splits `-verbose`
 * into `-v` plus `-erbose`); here a word that starts with one `-` and is not
 * exactly one of the CLI's options is an argument. Words starting with `--`
 * stay options, so a mistyped `--jsn` is still an error; anything after `--`
 * is an argument, `--json` included.
 *
 * Subcommands created with `.command()` are DataArgumentsCommands too.
 */
export class DataArgumentsCommand extends Command {
  override createCommand(name?: string): Command {
    return new DataArgumentsCommand(name);
  }

  override parseOptions(args: string[]): ParseOptionsResult {
    // The marks live only for this call: the words that reach a subcommand
    // unparsed are handed on as typed, and it marks them by its own options.
    const { operands, unknown } = super.parseOptions(markDataWords(this, args));
    return { operands: operands.map(unmark), unknown: unknown.map(unmark) };
  }
}

function markDataWords(command: Command, args: readonly string[]): string[] {
  const shortFlags = shortFlagsOfTree(command);
  const marked: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      marked.push(...args.slice(i));
      break;
    }
    const option = command.options.find((o) => o.long === arg || o.short === arg);
    if (option) {
      marked.push(arg);
      // The next word is this option's value, whatever it looks like (as
      // commander reads it: an optional value never starts with '-').
      const takesNext = option.required || (option.optional && !args[i + 1]?.startsWith('-'));
      if (takesNext && i + 1 < args.length) marked.push(args[++i]!);
      continue;
    }
    const isDataWord = arg.length > 1 && arg[0] === '-' && arg[1] !== '-' && !shortFlags.has(arg);
    marked.push(isDataWord && !HELP_FLAGS.has(arg) ? DATA_MARK + arg : arg);
  }
  return marked;
}

/** Every short flag (`-v`) any command of the CLI defines: a parent must leave those for the subcommand. */
function shortFlagsOfTree(command: Command): Set<string> {
  let root = command;
  while (root.parent) root = root.parent;
  const flags = new Set<string>();
  const visit = (c: Command): void => {
    for (const option of c.options) if (option.short) flags.add(option.short);
    c.commands.forEach(visit);
  };
  visit(root);
  return flags;
}

const unmark = (arg: string): string => (arg.startsWith(DATA_MARK) ? arg.slice(DATA_MARK.length) : arg);
