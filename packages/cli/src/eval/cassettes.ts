// Record and replay: model replies stored as cassettes, so evals run offline, fast and the same
// every time. A reply is keyed by the prompt's id and content hash, the provider and model
// asked, and the request as rendered (messages, parameters, output format): a changed prompt,
// model or input misses instead of replaying a reply that belongs to something else.
//
// One file per prompt id (cassettes/<id>.cassette.json), holding every version recorded, so
// bisect can replay old versions. Cassettes hold requests and replies only: no headers, no
// keys, no base URLs.
import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { canonicalJson } from "@promptc/core";
import { TransportError, type ProviderAdapter, type ProviderRequest, type ProviderResponse } from "@promptc/runtime";

export type CassetteMode = "record" | "replay";

interface RecordedReply {
  text: string;
  value?: unknown;
  model: string;
  finishReason: ProviderResponse["finishReason"];
  usage: ProviderResponse["usage"];
  latencyMs: number;
  /** Recorded from promptc's local server (`--local`), not a provider: replayed at no cost. */
  local?: true;
}

interface CassetteEntry {
  version: number;
  hash: string;
  provider: string;
  model: string;
  request: Omit<ProviderRequest, "signal" | "timeoutMs" | "model">;
  replies: RecordedReply[];
}

interface CassetteFile {
  promptc: "cassette";
  format: 1;
  prompt: string;
  entries: Record<string, CassetteEntry>;
}

/** The prompt a call belongs to, and what the cassette did for it. Set around each eval call. */
export interface CallScope {
  promptId: string;
  version: number;
  hash: string;
  /** Recorded latency of the replies served (replay), summed. */
  replayedLatencyMs: number;
  /** A reply served was recorded from the local server. */
  local?: boolean;
  misses: CassetteMiss[];
}

export interface CassetteMiss {
  promptId: string;
  version: number;
  provider: string;
  model: string;
  key: string;
  file: string;
}

class CassetteError extends Error {
  constructor(message: string, readonly file: string) {
    super(message);
    this.name = "CassetteError";
  }
}

const scopes = new AsyncLocalStorage<CallScope>();
export const inScope = <T>(scope: CallScope, fn: () => Promise<T>): Promise<T> => scopes.run(scope, fn);

/** The request as the model sees it: not the attempt's signal or time limit. */
function asked(req: ProviderRequest): Omit<ProviderRequest, "signal" | "timeoutMs"> {
  const { signal: _signal, timeoutMs: _timeoutMs, ...request } = req;
  return request;
}

function cassetteKey(scope: Pick<CallScope, "promptId" | "hash">, provider: string, req: ProviderRequest): string {
  const request = asked(req);
  return createHash("sha256").update(canonicalJson({ prompt: scope.promptId, hash: scope.hash, provider, request })).digest("hex").slice(0, 32);
}

export class Cassettes {
  private readonly files = new Map<string, CassetteFile>();
  private readonly dirty = new Set<string>();
  /** Keys recorded in this run: their old replies are replaced, not added to. */
  private readonly fresh = new Set<string>();
  private readonly served = new Map<string, number>();

  /** `local`: the replies recorded come from promptc's local server, and are marked so. */
  constructor(readonly dir: string, readonly mode: CassetteMode, private readonly local = false) {}

  fileOf(promptId: string): string {
    return join(this.dir, `${promptId}.cassette.json`);
  }

  private load(promptId: string): CassetteFile {
    let f = this.files.get(promptId);
    if (f) return f;
    const path = this.fileOf(promptId);
    if (existsSync(path)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(path, "utf8"));
      } catch (e) {
        throw new CassetteError(`${path} is not valid JSON (${(e as Error).message}); re-record it with \`promptc eval --record\``, path);
      }
      const c = parsed as Partial<CassetteFile>;
      if (c.promptc !== "cassette" || c.format !== 1 || c.prompt !== promptId || typeof c.entries !== "object" || c.entries === null) {
        throw new CassetteError(`${path} is not a promptc cassette for \`${promptId}\` (format 1); re-record it with \`promptc eval --record\``, path);
      }
      f = c as CassetteFile;
    } else {
      f = { promptc: "cassette", format: 1, prompt: promptId, entries: {} };
    }
    this.files.set(promptId, f);
    return f;
  }

  /** Reads these prompts' cassettes now, so a broken file stops the run before any call. */
  preload(promptIds: Iterable<string>): void {
    for (const id of promptIds) this.load(id);
  }

  /** Wraps a provider: records what `real` answers, or (replay, `real` absent) answers from the cassette. */
  adapter(provider: string, real: ProviderAdapter | undefined): ProviderAdapter {
    const complete = async (req: ProviderRequest): Promise<ProviderResponse> => {
      const scope = scopes.getStore();
      if (!scope) throw new Error("a cassette adapter was called outside an eval call");
      const key = cassetteKey(scope, provider, req);
      const file = this.load(scope.promptId);
      if (this.mode === "replay") {
        const entry = file.entries[key];
        if (!entry || !entry.replies.length) {
          scope.misses.push({ promptId: scope.promptId, version: scope.version, provider, model: req.model, key, file: this.fileOf(scope.promptId) });
          // Not retryable, and the eval reports the miss itself: a miss never passes as a model failure.
          throw new TransportError({ kind: "bad_request", provider, model: req.model, message: `no recorded reply (cassette miss ${key})` });
        }
        const n = this.served.get(key) ?? 0;
        this.served.set(key, n + 1);
        const reply = entry.replies[n % entry.replies.length]!;
        scope.replayedLatencyMs += reply.latencyMs;
        if (reply.local) scope.local = true;
        return { text: reply.text, ...(reply.value !== undefined ? { value: reply.value } : {}), model: reply.model, finishReason: reply.finishReason, usage: reply.usage };
      }
      if (!real) throw new TransportError({ kind: "bad_request", provider, model: req.model, message: `provider \`${provider}\` is not configured` });
      const t0 = performance.now();
      const response = await real.complete(req);
      const { model: _model, ...request } = asked(req);
      if (!this.fresh.has(key)) {
        this.fresh.add(key);
        file.entries[key] = { version: scope.version, hash: scope.hash, provider, model: req.model, request, replies: [] };
      }
      file.entries[key]!.replies.push({ text: response.text, ...(response.value !== undefined ? { value: response.value } : {}), model: response.model, finishReason: response.finishReason, usage: response.usage, latencyMs: Math.round(performance.now() - t0), ...(this.local ? { local: true as const } : {}) });
      this.dirty.add(scope.promptId);
      return response;
    };
    return {
      name: provider,
      ...(real?.ready ? { ready: () => real.ready!() } : {}),
      complete,
      stream: () => Promise.reject(new TransportError({ kind: "bad_request", provider, model: "", message: "evals do not stream" })),
    };
  }

  /** Writes what was recorded, each file through a temporary file and a rename. */
  save(): string[] {
    const written: string[] = [];
    for (const id of [...this.dirty].sort()) {
      const f = this.files.get(id)!;
      const sorted: CassetteFile = { ...f, entries: Object.fromEntries(Object.entries(f.entries).sort(([a], [b]) => (a < b ? -1 : 1))) };
      const path = this.fileOf(id);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(`${path}.tmp`, JSON.stringify(sorted, null, 2) + "\n");
      renameSync(`${path}.tmp`, path);
      written.push(path);
    }
    this.dirty.clear();
    return written;
  }
}
