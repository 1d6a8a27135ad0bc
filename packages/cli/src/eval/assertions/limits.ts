// Ceilings on what a call may cost and how long it may take.
import { no, yes, type Check } from "./types.js";

export const maxCost: Check = (a, _t, ctx) => {
  const limit = a.value as number;
  const cost = `$${ctx.costUsd.toFixed(6)}`;
  return ctx.costUsd <= limit ? yes(`the call cost ${cost}, within $${limit}`) : no(`the call cost ${cost}, over the $${limit} ceiling`, limit / ctx.costUsd);
};

export const maxLatency: Check = (a, _t, ctx) => {
  const limit = a.value as number;
  return ctx.latencyMs <= limit ? yes(`the call took ${Math.round(ctx.latencyMs)} ms, within ${limit} ms`) : no(`the call took ${Math.round(ctx.latencyMs)} ms, over the ${limit} ms ceiling`, limit / ctx.latencyMs);
};
