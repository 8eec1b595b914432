/**
 * A small Dockerfile reader: stages, their instructions, flags and exec-form arguments. Enough for the checks in
 * test/deploy and for verify-image-contents.ts to replay the build without a Docker engine; not a full parser
 * (no heredocs, no escape directive, no ONBUILD).
 */

export interface Instruction {
  /** Upper-case keyword: FROM, RUN, COPY, ENV… */
  keyword: string;
  /** `--name=value` flags before the arguments (e.g. COPY --from=build, RUN --mount=…). */
  flags: Record<string, string>;
  /** Everything after the flags, as written (continuations joined). */
  args: string;
  line: number;
}

export interface Stage {
  /** `AS` name, or the stage's index when it has none. */
  name: string;
  /** What it is built FROM, with global ARGs substituted: an image reference or an earlier stage's name. */
  base: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  globalArgs: Record<string, string>;
  stages: Stage[];
}

export function parseDockerfile(text: string): Dockerfile {
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const instruction of logicalLines(text)) {
    if (instruction.keyword === 'ARG' && stages.length === 0) {
      const [name, value = ''] = splitOnce(instruction.args.trim(), '=');
      globalArgs[name] = stripQuotes(value);
      continue;
    }
    if (instruction.keyword === 'FROM') {
      const words = instruction.args.trim().split(/\s+/);
      const base = substitute(words[0] ?? '', globalArgs);
      const asIndex = words.findIndex((w) => w.toUpperCase() === 'AS');
      stages.push({ name: asIndex > 0 ? (words[asIndex + 1] ?? String(stages.length)) : String(stages.length), base, instructions: [] });
      continue;
    }
    const current = stages.at(-1);
    if (!current) throw new Error(`Dockerfile line ${instruction.line}: ${instruction.keyword} before any FROM`);
    current.instructions.push(instruction);
  }
  return { globalArgs, stages };
}

/** The arguments of an exec-form instruction (`CMD ["node", "dist/main.js"]`), or undefined for shell form. */
export function execForm(instruction: Instruction): string[] | undefined {
  const text = instruction.args.trim();
  if (!text.startsWith('[')) return undefined;
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) return undefined;
  return parsed as string[];
}

/** `ENV A=1 B="two words"` (and the legacy `ENV A 1`) as a record. */
export function envPairs(instruction: Instruction): Record<string, string> {
  const text = instruction.args.trim();
  const pairs: Record<string, string> = {};
  if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(text)) {
    const [name, value = ''] = splitOnce(text, ' ');
    pairs[name] = value.trim();
    return pairs;
  }
  for (const match of text.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)) {
    pairs[match[1]!] = stripQuotes(match[2] ?? '');
  }
  return pairs;
}

/** Source and destination paths of a COPY/ADD (shell or exec form). */
export function copyPaths(instruction: Instruction): { sources: string[]; destination: string } {
  const words = execForm(instruction) ?? instruction.args.trim().split(/\s+/);
  const destination = words.at(-1);
  if (words.length < 2 || destination === undefined) throw new Error(`Dockerfile line ${instruction.line}: COPY needs a source and a destination`);
  return { sources: words.slice(0, -1), destination };
}

/** The names of the stages `target` needs: its FROM chain and every COPY --from, in file order. */
export function stagesNeededFor(dockerfile: Dockerfile, target: string): Stage[] {
  const byName = new Map(dockerfile.stages.map((s) => [s.name, s]));
  const needed = new Set<string>();
  const visit = (name: string): void => {
    const stage = byName.get(name);
    if (!stage || needed.has(name)) return;
    needed.add(name);
    visit(stage.base);
    for (const i of stage.instructions) if (i.flags.from) visit(i.flags.from);
  };
  visit(target);
  return dockerfile.stages.filter((s) => needed.has(s.name));
}

function* logicalLines(text: string): Generator<Instruction> {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i] ?? '';
    if (/^\s*(#|$)/.test(line)) continue;
    while (/\\\s*$/.test(line) && i + 1 < lines.length) {
      i++;
      const next = lines[i] ?? '';
      if (/^\s*#/.test(next)) continue; // comments inside a continued instruction are dropped, as Docker does
      line = line.replace(/\\\s*$/, ' ') + next;
    }
    const match = /^\s*([A-Za-z]+)\s*(.*)$/.exec(line);
    if (!match) continue;
    let rest = match[2] ?? '';
    const flags: Record<string, string> = {};
    for (let flag = /^--([a-z-]+)=(\S+)\s*/.exec(rest); flag; flag = /^--([a-z-]+)=(\S+)\s*/.exec(rest)) {
      flags[flag[1]!] = flag[2]!;
      rest = rest.slice(flag[0].length);
    }
    yield { keyword: (match[1] ?? '').toUpperCase(), flags, args: rest, line: start + 1 };
  }
}

function substitute(text: string, args: Record<string, string>): string {
  return text.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => args[name] ?? '');
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + separator.length)];
}

function stripQuotes(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}
