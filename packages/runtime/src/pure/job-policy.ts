// What a job does during an outage when its prompt file has no `job:` section.
export const JOB_DEFAULTS = { maxAgeMs: 86_400_000, onOutage: "wait" } as const;
