// The review page `promptc review` serves: the pending queue, one item at a time, with its
// prompt id, version and hash, input, messages and output as a form. Everything from inputs and
// model output goes into the page as text (textContent, input values), never as HTML, and the
// Content-Security-Policy lets only this page's own nonce'd script and style run.

/** The page, with the per-start nonce that its one script and one style carry. */
export function reviewPage(nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>promptc review</title>
<style nonce="${nonce}">
  :root { font: 14px/1.45 system-ui, sans-serif; color: #1d232b; background: #f4f5f7; }
  body { margin: 0; display: grid; grid-template-columns: 300px 1fr; height: 100vh; }
  aside { border-right: 1px solid #d6d9de; overflow: auto; background: #fff; }
  aside h1 { font-size: 15px; margin: 12px 14px; }
  #queue { list-style: none; margin: 0; padding: 0; }
  #queue li { padding: 8px 14px; border-top: 1px solid #eceef1; cursor: pointer; }
  #queue li[aria-selected="true"] { background: #e6efff; }
  #queue .id { font-family: ui-monospace, monospace; font-size: 12px; color: #5b6470; }
  main { overflow: auto; padding: 16px 24px; }
  h2 { font-size: 16px; margin: 0 0 4px; }
  .meta { color: #5b6470; font-family: ui-monospace, monospace; font-size: 12px; margin-bottom: 12px; }
  section { background: #fff; border: 1px solid #d6d9de; border-radius: 6px; padding: 10px 14px; margin-bottom: 12px; }
  section h3 { margin: 0 0 6px; font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: #5b6470; }
  pre { white-space: pre-wrap; word-break: break-word; margin: 0; font-size: 13px; }
  .message { margin-bottom: 8px; } .message b { display: block; font-size: 12px; color: #5b6470; }
  label { display: grid; grid-template-columns: 160px 1fr; gap: 8px; align-items: start; margin: 6px 0; }
  input, select, textarea { font: inherit; padding: 4px 6px; border: 1px solid #b9bec6; border-radius: 4px; }
  textarea { min-height: 60px; font-family: ui-monospace, monospace; }
  .invalid { border-color: #c62828; background: #fff4f4; }
  .error { color: #c62828; font-size: 12px; grid-column: 2; }
  .actions { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
  button { font: inherit; padding: 6px 12px; border-radius: 4px; border: 1px solid #8a93a0; background: #fff; cursor: pointer; }
  button.approve { background: #1b7f3b; color: #fff; border-color: #1b7f3b; }
  button.reject { background: #b3261e; color: #fff; border-color: #b3261e; }
  label.inline { display: flex; gap: 6px; margin: 0; }
  kbd { font-family: ui-monospace, monospace; font-size: 11px; border: 1px solid #b9bec6; border-radius: 3px; padding: 0 4px; }
  #status { margin-left: auto; color: #5b6470; }
  #empty { color: #5b6470; }
</style>
</head>
<body>
<aside>
  <h1>Pending reviews <span id="count"></span></h1>
  <ul id="queue" role="listbox" aria-label="pending reviews"></ul>
</aside>
<main>
  <p id="empty" hidden>Nothing waits for review.</p>
  <div id="item" hidden>
    <h2 id="prompt"></h2>
    <div class="meta" id="identity"></div>
    <section><h3>Why it is here</h3><pre id="when"></pre></section>
    <section><h3>Input</h3><pre id="input"></pre></section>
    <section><h3>Messages</h3><div id="messages"></div></section>
    <section><h3>Output</h3><form id="output" novalidate></form></section>
    <section>
      <div class="actions">
        <label class="inline">Reviewer <input id="reviewer" autocomplete="name" required></label>
        <button class="approve" id="approve" type="button">Approve <kbd>a</kbd></button>
        <button id="save" type="button">Approve as edited <kbd>s</kbd></button>
        <input id="reason" placeholder="reason for rejecting">
        <button class="reject" id="reject" type="button">Reject <kbd>r</kbd></button>
        <span id="status" role="status"></span>
      </div>
      <p class="meta">Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous, <kbd>a</kbd> approve, <kbd>e</kbd> edit the output, <kbd>s</kbd> approve as edited, <kbd>r</kbd> reject (type the reason, Enter).</p>
    </section>
  </div>
</main>
<script nonce="${nonce}">
"use strict";
const token = new URLSearchParams(location.search).get("token") || "";
const $ = (id) => document.getElementById(id);
let items = [];
let current = 0;

const api = async (path, init = {}) => {
  const res = await fetch(path, { ...init, headers: { authorization: "Bearer " + token, "content-type": "application/json" } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw Object.assign(new Error(body.error || res.statusText), { status: res.status, body });
  return body;
};
const text = (el, value) => { el.textContent = value; return el; };
const make = (tag, value) => (value === undefined ? document.createElement(tag) : text(document.createElement(tag), value));
const show = (message) => text($("status"), message);

// The output schema's top-level fields become inputs; anything nested is edited as JSON.
function fieldsOf(schema) {
  if (!schema || schema.type !== "object" || !schema.properties) return null;
  const required = new Set(schema.required || []);
  return Object.entries(schema.properties).map(([name, s]) => ({ name, schema: s, required: required.has(name) }));
}
function kindOf(s) {
  if (Array.isArray(s.enum)) return "enum";
  if (s.type === "number" || s.type === "integer") return "number";
  if (s.type === "boolean") return "boolean";
  if (s.type === "string") return "string";
  return "json";
}

function renderForm(item) {
  const form = $("output");
  form.replaceChildren();
  const value = item.output;
  const fields = fieldsOf(item.outputSchema);
  if (!fields) {
    const area = make("textarea");
    area.name = "(output)";
    area.value = typeof value === "string" ? value : JSON.stringify(value, null, 2);
    area.dataset.kind = item.outputSchema ? "json" : "text";
    const label = make("label");
    label.append(make("span", "output"), area, make("span"));
    label.lastChild.className = "error";
    form.append(label);
    return;
  }
  for (const f of fields) {
    const kind = kindOf(f.schema);
    let input;
    if (kind === "enum") {
      input = make("select");
      for (const v of f.schema.enum) { const o = make("option", String(v)); o.value = JSON.stringify(v); input.append(o); }
      input.value = JSON.stringify(value[f.name]);
    } else if (kind === "boolean") {
      input = make("input"); input.type = "checkbox"; input.checked = value[f.name] === true;
    } else if (kind === "json") {
      input = make("textarea"); input.value = JSON.stringify(value[f.name], null, 2);
    } else {
      input = make("input"); input.type = kind === "number" ? "number" : "text"; input.step = "any";
      input.value = value[f.name] === undefined || value[f.name] === null ? "" : String(value[f.name]);
    }
    input.name = f.name;
    input.dataset.kind = kind;
    const label = make("label");
    const error = make("span"); error.className = "error";
    label.append(make("span", f.name + (f.required ? "" : " (optional)")), input, error);
    form.append(label);
  }
}

// Reads the form back into an output, checking what the browser can: types, enums, bounds and
// required fields. The server checks the whole schema again.
function readForm(item) {
  const errors = [];
  const fields = fieldsOf(item.outputSchema);
  const form = $("output");
  for (const el of form.querySelectorAll(".invalid")) el.classList.remove("invalid");
  for (const el of form.querySelectorAll(".error")) el.textContent = "";
  const fail = (input, message) => { errors.push(message); input.classList.add("invalid"); text(input.parentElement.querySelector(".error"), message); };
  if (!fields) {
    const area = form.querySelector("textarea");
    if (area.dataset.kind === "text") return { value: area.value, errors };
    try { return { value: JSON.parse(area.value), errors }; } catch { fail(area, "not valid JSON"); return { value: undefined, errors }; }
  }
  const out = {};
  for (const f of fields) {
    const input = form.elements.namedItem(f.name);
    const kind = input.dataset.kind;
    if (kind === "enum") { out[f.name] = JSON.parse(input.value); continue; }
    if (kind === "boolean") { out[f.name] = input.checked; continue; }
    if (kind === "json") { try { out[f.name] = JSON.parse(input.value); } catch { fail(input, "not valid JSON"); } continue; }
    if (input.value === "") { if (f.required) fail(input, "required"); continue; }
    if (kind === "number") {
      const n = Number(input.value);
      if (!Number.isFinite(n)) { fail(input, "not a number"); continue; }
      if (f.schema.type === "integer" && !Number.isInteger(n)) { fail(input, "not a whole number"); continue; }
      if (typeof f.schema.minimum === "number" && n < f.schema.minimum) { fail(input, "at least " + f.schema.minimum); continue; }
      if (typeof f.schema.maximum === "number" && n > f.schema.maximum) { fail(input, "at most " + f.schema.maximum); continue; }
      out[f.name] = n;
    } else out[f.name] = input.value;
  }
  return { value: out, errors };
}

function renderQueue() {
  const list = $("queue");
  list.replaceChildren();
  text($("count"), "(" + items.length + ")");
  items.forEach((item, i) => {
    const li = make("li");
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", String(i === current));
    li.append(make("div", item.promptId + " v" + item.version), make("div", item.id));
    li.lastChild.className = "id";
    li.addEventListener("click", () => select(i));
    list.append(li);
  });
}

function select(i) {
  current = Math.max(0, Math.min(i, items.length - 1));
  renderQueue();
  const item = items[current];
  $("empty").hidden = !!item;
  $("item").hidden = !item;
  if (!item) return;
  text($("prompt"), item.promptId);
  text($("identity"), "version " + item.version + " · " + item.hash + " · review " + item.id + " · asked " + item.createdAt + " · times out " + item.expiresAt);
  text($("when"), item.when);
  text($("input"), JSON.stringify(item.input, null, 2));
  $("messages").replaceChildren(...item.messages.map((m) => { const d = make("div"); d.className = "message"; d.append(make("b", m.role), make("pre", m.content)); return d; }));
  renderForm(item);
  $("reason").value = "";
  show("");
}

async function load() {
  const id = items[current] && items[current].id;
  const body = await api("/api/reviews?status=pending");
  items = body.reviews;
  if (!$("reviewer").value && body.reviewer) $("reviewer").value = body.reviewer;
  const again = items.findIndex((i) => i.id === id);
  select(again === -1 ? current : again);
}

async function decide(decision) {
  const item = items[current];
  if (!item) return;
  const reviewer = $("reviewer").value.trim();
  if (!reviewer) { $("reviewer").classList.add("invalid"); $("reviewer").focus(); show("who is deciding? type your name"); return; }
  $("reviewer").classList.remove("invalid");
  localStorage.setItem("promptc.reviewer", reviewer);
  try {
    await api("/api/reviews/" + encodeURIComponent(item.id) + "/decision", { method: "POST", body: JSON.stringify({ ...decision, reviewer }) });
    items.splice(current, 1);
    select(current);
    show("decided: " + Object.keys(decision)[0]);
  } catch (e) {
    show(e.message);
    if (e.status === 409) await load();
  }
}

$("approve").addEventListener("click", () => decide({ approve: true }));
$("save").addEventListener("click", () => {
  const { value, errors } = readForm(items[current]);
  if (errors.length) { show("fix the output first: " + errors.join("; ")); return; }
  decide({ edit: value });
});
$("reject").addEventListener("click", () => {
  const reason = $("reason").value.trim();
  if (!reason) { $("reason").classList.add("invalid"); $("reason").focus(); show("say why it is rejected"); return; }
  $("reason").classList.remove("invalid");
  decide({ reject: reason });
});
$("reason").addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); $("reject").click(); } });
document.addEventListener("keydown", (e) => {
  const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement;
  if (e.key === "Escape" && typing) { e.target.blur(); return; }
  if (typing || e.metaKey || e.ctrlKey || e.altKey) return;
  const keys = { j: () => select(current + 1), k: () => select(current - 1), a: () => $("approve").click(), s: () => $("save").click(), r: () => $("reason").focus(), e: () => { const first = $("output").querySelector("input, select, textarea"); if (first) first.focus(); } };
  if (keys[e.key]) { e.preventDefault(); keys[e.key](); }
});
// New items arrive while a person works: the queue is refreshed every 2 s, without touching the
// item on screen (an edit in progress stays) unless someone else decided it meanwhile.
async function refresh() {
  const shown = items[current];
  const body = await api("/api/reviews?status=pending");
  items = body.reviews;
  const still = shown ? items.findIndex((i) => i.id === shown.id) : -1;
  if (shown && still !== -1) { current = still; renderQueue(); return; }
  select(current);
  if (shown) show("review " + shown.id + " was decided elsewhere");
}
$("reviewer").value = localStorage.getItem("promptc.reviewer") || "";
load().catch((e) => show(e.message));
setInterval(() => refresh().catch((e) => show(e.message)), 2000);
</script>
</body>
</html>
`;
}
