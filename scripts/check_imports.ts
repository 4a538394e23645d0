/**
 * Checks the import graph: no cycles between modules, and folders depend in one direction
 * (schemas ← core/domain ← … ← core/live ← functions mounted by core/live). Exits 1 on a violation.
 * Usage: deno run --allow-read scripts/check_imports.ts [--help]
 */
import { dirname, join, relative, resolve } from "node:path";

const ROOT = resolve(new URL("../", import.meta.url).pathname);
const DIRS = ["core", "functions", "schemas", "scripts"];
const IMPORT_RE =
  /^\s*(?:import|export)\s[^"';]*?from\s*["'](\.[^"']+)["']|^\s*import\s*["'](\.[^"']+)["']/gm;
// Doc comments hold import examples that are not imports.
const COMMENT_RE = /\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm;

/** Folder rules: a module under `from` may not import modules under any of `not`. */
const RULES: Array<{ from: string; not: string[]; why: string }> = [
  {
    from: "schemas/",
    not: ["core/", "functions/", "scripts/"],
    why: "schemas are the leaf every layer validates with",
  },
  {
    from: "core/domain/",
    not: [
      "core/bus/",
      "core/clock/",
      "core/data/",
      "core/live/",
      "core/venues/",
      "core/store/",
      "functions/",
    ],
    why: "values depend on nothing",
  },
  {
    from: "core/data/",
    not: ["core/live/", "functions/"],
    why: "the engine does not know its host",
  },
  {
    from: "core/venues/",
    not: ["core/live/", "functions/"],
    why: "venues do not know the live node",
  },
  { from: "functions/", not: ["core/live/"], why: "functions read the core through CoreView only" },
];

async function* tsFiles(dir: string): AsyncGenerator<string> {
  try {
    for await (const e of Deno.readDir(dir)) {
      const p = join(dir, e.name);
      if (e.isDirectory) yield* tsFiles(p);
      else if (e.name.endsWith(".ts")) yield p;
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

/** Returns the import graph of project modules (relative paths). */
export async function importGraph(): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  for (const d of DIRS) {
    for await (const file of tsFiles(join(ROOT, d))) {
      const text = (await Deno.readTextFile(file)).replace(COMMENT_RE, "");
      const deps: string[] = [];
      for (const m of text.matchAll(IMPORT_RE)) {
        const spec = m[1] ?? m[2]!;
        deps.push(relative(ROOT, resolve(dirname(file), spec)));
      }
      graph.set(relative(ROOT, file), deps);
    }
  }
  return graph;
}

/** Finds cycles with Tarjan's strongly connected components. */
export function findCycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>(), low = new Map<string, number>(), on = new Set<string>();
  const stack: string[] = [], out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc);
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

if (import.meta.main) {
  if (Deno.args.includes("--help")) {
    console.log(
      "Usage: deno run --allow-read scripts/check_imports.ts\nFails on import cycles and on imports against the folder direction.",
    );
    Deno.exit(0);
  }
  const graph = await importGraph();
  const problems: string[] = [];
  for (const cycle of findCycles(graph)) problems.push(`import cycle: ${cycle.join(" → ")}`);
  for (const [file, deps] of graph) {
    for (const rule of RULES) {
      if (!file.startsWith(rule.from)) continue;
      for (const dep of deps) {
        if (rule.not.some((n) => dep.startsWith(n))) {
          problems.push(`${file} imports ${dep}: ${rule.why}`);
        }
      }
    }
  }
  if (problems.length > 0) {
    console.error(problems.join("\n"));
    Deno.exit(1);
  }
  console.log(`import graph ok: ${graph.size} modules, no cycles`);
}
