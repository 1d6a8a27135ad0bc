// Circuit breakers, one per provider and model (cockatiel). Repeated failures open a model's
// breaker for a cooldown; a 429 with Retry-After cools the model down without counting as a
// failure; the caller's own aborts and errors never count against a model.
import type * as Cockatiel from "cockatiel";
import type { CircuitBreakerPolicy } from "cockatiel";
import { TransportError } from "../errors/transport-error.js";

// Loaded on the first attempt rather than at import: cockatiel's 30-odd modules take ~35 ms to
// load on a small machine, more than the whole budget for importing the runtime.
let cockatiel: typeof Cockatiel | undefined;
const loadCockatiel = async (): Promise<typeof Cockatiel> => (cockatiel ??= await import("cockatiel"));

export interface BreakerOptions {
  /** Consecutive failures that open a model's breaker (default 5). */
  threshold?: number;
  /** How long an open breaker refuses calls before letting one through (default 30 s). */
  cooldownMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/** A model is not being called right now: its breaker is open, or it asked us to wait. */
export class ModelUnavailableError extends TransportError {
  constructor(provider: string, model: string, reason: "circuit_open" | "cooling_down", retryAfterMs?: number) {
    super({
      kind: reason === "circuit_open" ? "server" : "rate_limit",
      message: reason === "circuit_open" ? "circuit open after repeated failures" : `cooling down after a 429 for ${Math.ceil((retryAfterMs ?? 0) / 1000)} s more`,
      provider,
      model,
      retryAfterMs,
    });
    this.name = "ModelUnavailableError";
    this.reason = reason;
  }
  readonly reason: "circuit_open" | "cooling_down";
  /**
   * An open circuit: move to the next model. A cooldown is a Retry-After shared by every
   * caller of the model: wait it out like one, when the deadline allows.
   */
  override get retryable(): boolean {
    return this.reason === "cooling_down";
  }
}

/**
 * Whether a failed attempt may have been billed: not when the provider answered with an error
 * status (it did not run the model) or when nothing was sent (an open breaker, a cooldown);
 * otherwise it may have processed the input before the connection broke or the attempt ended.
 */
export function mayHaveBeenBilled(e: unknown): boolean {
  return !(e instanceof ModelUnavailableError || (e instanceof TransportError && e.status !== undefined));
}

/** Failures that say something about the model's health. */
function countsAgainstModel(e: unknown): boolean {
  if (!(e instanceof TransportError) || e instanceof ModelUnavailableError) return false;
  if (e.kind === "rate_limit") return e.retryAfterMs === undefined; // with Retry-After it is a cooldown
  return e.kind === "timeout" || e.kind === "connection" || e.kind === "server" || e.kind === "overloaded";
}

interface Health {
  breaker: CircuitBreakerPolicy;
  coolUntil: number;
}

/** Date.now() and a timer can disagree by up to a millisecond. */
const COOLDOWN_CLOCK_SLACK_MS = 1;

export class ModelBreakers {
  /** By provider, then model: no key string built on every attempt. */
  private readonly models = new Map<string, Map<string, Health>>();
  private readonly threshold: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;

  constructor(options: BreakerOptions = {}) {
    this.threshold = options.threshold ?? 5;
    this.cooldownMs = options.cooldownMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** Runs one attempt against a model, through its breaker and any cooldown. */
  async execute<T>(provider: string, model: string, attempt: () => Promise<T>): Promise<T> {
    const { BrokenCircuitError, IsolatedCircuitError } = cockatiel ?? (await loadCockatiel());
    const health = this.health(provider, model);
    const wait = health.coolUntil - this.now();
    // A caller that waited out the Retry-After (a timer of that many ms, started after the cooldown
    // was set) may wake when Date.now() reads 1 ms short of it: that is the cooldown over, not a refusal.
    if (wait > COOLDOWN_CLOCK_SLACK_MS) throw new ModelUnavailableError(provider, model, "cooling_down", wait);
    try {
      return await health.breaker.execute(() => attempt());
    } catch (e) {
      if (e instanceof BrokenCircuitError || e instanceof IsolatedCircuitError) throw new ModelUnavailableError(provider, model, "circuit_open");
      if (e instanceof TransportError && e.kind === "rate_limit" && e.retryAfterMs !== undefined) {
        health.coolUntil = Math.max(health.coolUntil, this.now() + e.retryAfterMs);
      }
      throw e;
    }
  }

  /** "closed", "open", "half-open" or "cooling"; for records and tests. */
  state(provider: string, model: string): "closed" | "open" | "half-open" | "cooling" {
    const health = this.models.get(provider)?.get(model);
    if (!health) return "closed";
    if (health.coolUntil > this.now()) return "cooling";
    const { CircuitState } = cockatiel!; // a model has health only once cockatiel has loaded
    const s = health.breaker.state;
    return s === CircuitState.Open || s === CircuitState.Isolated ? "open" : s === CircuitState.HalfOpen ? "half-open" : "closed";
  }

  private health(provider: string, model: string): Health {
    let byModel = this.models.get(provider);
    if (!byModel) this.models.set(provider, (byModel = new Map()));
    let h = byModel.get(model);
    if (!h) {
      const { circuitBreaker, ConsecutiveBreaker, handleWhen } = cockatiel!;
      h = { breaker: circuitBreaker(handleWhen(countsAgainstModel), { breaker: new ConsecutiveBreaker(this.threshold), halfOpenAfter: this.cooldownMs }), coolUntil: 0 };
      byModel.set(model, h);
    }
    return h;
  }
}
