// Money as integer nano-dollars, so that sums of spend never drift.

/** USD to nano-dollars, rounded up: a reservation never falls short. */
export const toNanos = (usd: number): number => Math.ceil(usd * 1e9 - 1e-6);
export const fromNanos = (nanos: number): number => nanos / 1e9;
