import { readFileSync } from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

/**
 * Fault injection. A spec is a comma-separated list:
 *   `429:0.02,500:0.02,502:0.01,503:0.01,slow:0.02,drop:0.02` (probabilities per request),
 *   `seed=N` (deterministic draws), `slow-ms=N` (delay of a slow response, default 1500),
 *   `script:<path>` (a JSON list of `{match:{method?, pathRegex, nth?}, fault}` for exact scenarios).
 * `drop` applies the request, then destroys the socket without answering.
 *
 * A script file is read only if it was named when the sandbox started (the command line or
 * `startSandbox({faults})`): a spec changed at run time (`POST /__sandbox/faults`) may name those
 * files again, never another one, and no error ever shows a file's content.
 */
const FAULT_KINDS = ['429', '500', '502', '503', 'slow', 'drop'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const faultKindSchema = z.enum(FAULT_KINDS);
const scriptSchema = z.array(
  z.object({
    match: z.object({
      method: z.string().optional(),
      pathRegex: z.string(),
      /** 1-based: only the nth matching request gets the fault; every match when absent. */
      nth: z.number().int().positive().optional(),
    }),
    fault: faultKindSchema,
  }),
);
type FaultScript = z.infer<typeof scriptSchema>;

export interface FaultPlan {
  probabilities: Partial<Record<FaultKind, number>>;
  seed?: number;
  slowMs: number;
  script: FaultScript;
}

/** The script files a spec names, resolved (so `a/../b.json` and `b.json` are the same file). */
function scriptFilesOf(spec: string | undefined): string[] {
  return (spec ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.startsWith('script:'))
    .map((t) => path.resolve(t.slice('script:'.length)));
}

function readScript(file: string): FaultScript {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new Error(`fault script ${file} is not a readable JSON file`);
  }
  const script = scriptSchema.safeParse(parsed);
  if (!script.success)
    throw new Error(`fault script ${file} is not a list of {match: {method?, pathRegex, nth?}, fault} rules`);
  return script.data;
}

/** `allowedScripts`: the files that may be read (undefined: any, for the spec given at start). */
export function parseFaultSpec(spec: string | undefined, allowedScripts?: ReadonlySet<string>): FaultPlan {
  const plan: FaultPlan = { probabilities: {}, slowMs: 1500, script: [] };
  for (const raw of (spec ?? '').split(',')) {
    const token = raw.trim();
    if (token === '' || token === 'none') continue;
    if (token.startsWith('script:')) {
      const file = path.resolve(token.slice('script:'.length));
      if (allowedScripts && !allowedScripts.has(file))
        throw new Error('a fault script can only be one named when the sandbox started');
      plan.script.push(...readScript(file));
      continue;
    }
    const setting = /^(seed|slow-ms)=(\d+)$/.exec(token);
    if (setting) {
      if (setting[1] === 'seed') plan.seed = Number(setting[2]);
      else plan.slowMs = Number(setting[2]);
      continue;
    }
    const [kind, probability] = token.split(':');
    const parsedKind = faultKindSchema.safeParse(kind);
    const p = Number(probability);
    if (!parsedKind.success || probability === undefined || !Number.isFinite(p) || p < 0 || p > 1) {
      throw new Error(
        `invalid fault "${token}": expected <${FAULT_KINDS.join('|')}>:<probability 0..1>, seed=N, slow-ms=N or script:<file>`,
      );
    }
    plan.probabilities[parsedKind.data] = p;
  }
  const total = Object.values(plan.probabilities).reduce((a, b) => a + b, 0);
  if (total > 1) throw new Error(`fault probabilities add up to ${total}, more than 1`);
  return plan;
}

/** mulberry32: a small seeded PRNG, so a seeded fault run is reproducible. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private plan: FaultPlan;
  private random: () => number;
  private scriptCounts: number[] = [];
  private readonly allowedScripts: ReadonlySet<string>;

  constructor(spec?: string) {
    this.plan = parseFaultSpec(spec);
    this.allowedScripts = new Set(scriptFilesOf(spec));
    this.random = this.makeRandom();
  }

  /** A new spec at run time; its script files must be ones the starting spec named. */
  set(spec: string): void {
    this.plan = parseFaultSpec(spec, this.allowedScripts);
    this.random = this.makeRandom();
    this.scriptCounts = [];
  }

  get slowMs(): number {
    return this.plan.slowMs;
  }

  /** Decides the fault (if any) for one request; scripted rules take precedence over probabilities. */
  decide(method: string, path: string): FaultKind | undefined {
    for (const [i, rule] of this.plan.script.entries()) {
      if (rule.match.method && rule.match.method.toUpperCase() !== method) continue;
      if (!new RegExp(rule.match.pathRegex).test(path)) continue;
      const count = (this.scriptCounts[i] ?? 0) + 1;
      this.scriptCounts[i] = count;
      if (rule.match.nth === undefined || rule.match.nth === count) return rule.fault;
    }
    const entries = Object.entries(this.plan.probabilities) as [FaultKind, number][];
    if (entries.length === 0) return undefined;
    const draw = this.random();
    let cumulative = 0;
    for (const [kind, p] of entries) {
      cumulative += p;
      if (draw < cumulative) return kind;
    }
    return undefined;
  }

  private makeRandom(): () => number {
    return this.plan.seed === undefined ? Math.random : seededRandom(this.plan.seed);
  }
}
