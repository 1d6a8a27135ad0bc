// promptc review: the review queue. `serve` (the default) serves the review page on 127.0.0.1
// with a fresh token; `export <prompt-id>` writes the approved and edited items of a prompt as
// eval cases, so that what people decided becomes the next version's test suite.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { ReviewItem } from "@promptc/runtime/reviews";
import { pathFrom, type Io } from "../io.js";
import { openReviews, reviewsPath } from "../review-store.js";
import { EXIT } from "../output.js";

export interface ReviewOptions {
  db?: string;
  port?: string;
  reviewer?: string;
  out?: string;
}

export async function runReview(io: Io, action: string, promptId: string | undefined, opts: ReviewOptions, promptsDir: () => Promise<string | undefined>, signal: Promise<void>): Promise<number> {
  const usage = (message: string) => {
    io.stderr.write(`promptc review: ${message}\n`);
    return EXIT.USAGE;
  };
  if (action !== "serve" && action !== "export") return usage(`unknown action \`${action}\`: serve (the page) or export <prompt-id>`);
  const path = await reviewsPath(io, opts.db);
  if (!existsSync(path)) return usage(`no review store at ${path}: pass --db, or run where the app asks for reviews (PROMPTC_REVIEWS_DB)`);
  if (action === "export") {
    if (!promptId) return usage("export needs a prompt id: promptc review export <prompt-id>");
    return exportCases(io, path, promptId, opts.out, promptsDir);
  }
  const port = opts.port === undefined ? 0 : Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return usage(`--port takes a port number (0 for any free one), got \`${opts.port}\``);
  const reviews = await openReviews(path);
  const { startReviewServer } = await import("../review/server.js");
  let server;
  try {
    server = await startReviewServer({ reviews, port, ...(opts.reviewer ? { reviewer: opts.reviewer } : {}) });
  } catch (e) {
    await reviews.store.close();
    const code = (e as NodeJS.ErrnoException).code;
    io.stderr.write(`promptc review: cannot listen on 127.0.0.1:${port} (${code ?? (e as Error).message})${code === "EADDRINUSE" ? "; pick another with --port, or --port 0 for any free one" : ""}\n`);
    return EXIT.USAGE;
  }
  const pending = await reviews.list({ status: "pending", limit: 1000 });
  io.stdout.write(
    [
      `promptc review: ${pending.length} pending in ${path}`,
      `  open ${server.url}`,
      "  (the address carries this run's token: every request needs it. Ctrl-C stops the page.)",
      "",
    ].join("\n"),
  );
  await signal;
  await server.close();
  await reviews.store.close();
  return EXIT.OK;
}

/** Approved and edited items of one prompt as an eval file: the decided output is each case's expectation. */
async function exportCases(io: Io, path: string, promptId: string, out: string | undefined, promptsDir: () => Promise<string | undefined>): Promise<number> {
  const reviews = await openReviews(path);
  try {
    const items = (await reviews.list({ promptId, limit: 100_000 })).filter((i) => i.status === "approved" || i.status === "edited").reverse();
    if (!items.length) {
      io.stderr.write(`promptc review: no approved or edited reviews of \`${promptId}\` in ${path}: nothing to export\n`);
      return EXIT.ERRORS;
    }
    const dir = out === undefined ? await promptsDir() : undefined;
    const file = out !== undefined ? pathFrom(io, out) : join(dir ?? join(io.cwd, "prompts"), `${promptId}.reviews.eval.yaml`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, evalFile(promptId, items), "utf8");
    io.stdout.write(`promptc review: wrote ${items.length} case${items.length === 1 ? "" : "s"} of ${promptId} to ${relative(io.cwd, file) || file} (${items.filter((i) => i.status === "edited").length} edited by a reviewer)\n`);
    return EXIT.OK;
  } finally {
    await reviews.store.close();
  }
}

/** The eval file, in YAML whose values are JSON (JSON is YAML): exact, with nothing to escape by hand. */
export function evalFile(promptId: string, items: ReviewItem[]): string {
  const lines = [
    `# Exported by \`promptc review export ${promptId}\`: outputs people approved or corrected, as cases.`,
    "# Each case expects what the reviewer decided. Run: promptc eval " + promptId,
    `prompt: ${JSON.stringify(promptId)}`,
    "cases:",
  ];
  for (const item of items) {
    const by = `${item.status === "edited" ? "corrected" : "approved"} by ${item.reviewer ?? "?"} on ${(item.decidedAt ?? item.createdAt).slice(0, 10)}`;
    lines.push(
      `  - name: ${JSON.stringify(`review ${item.id.slice(0, 8)} of v${item.version}, ${by}`)}`,
      `    input: ${JSON.stringify(item.input)}`,
      `    expect: ${JSON.stringify(item.decidedOutput)}`,
    );
  }
  return lines.join("\n") + "\n";
}
