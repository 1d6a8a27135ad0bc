// Template fixtures shared by the differential render test and the type test of generated code.

export const PARTIALS: Record<string, string> = { sig: "-- {{name}}", item: "* {{label}}\n" };

export type Fixture = [name: string, { template: string; input: unknown; values: Record<string, unknown>[] }];

export const TEMPLATE_FIXTURES: Fixture[] = [
  ["plain variables", { template: "Hi {{name}}, you are {{age}}.", input: { name: "string", age: "number" }, values: [{ name: "Ana", age: 0 }, { name: "", age: 41.5 }] }],
  ["values are never templates", { template: "{{a}}", input: { a: "string" }, values: [{ a: "{{b}} {{#if x}}y{{/if}}" }] }],
  ["booleans and optional values", { template: "[{{flag}}] [{{opt}}]", input: { flag: "boolean", "opt?": "string" }, values: [{ flag: false }, { flag: true, opt: null }, { flag: true, opt: "x" }] }],
  ["if / else, 0 and empty list are false", { template: "{{#if n}}yes{{else}}no{{/if}} {{#if xs}}some{{else}}none{{/if}}", input: { n: "number", "xs(array)": "string" }, values: [{ n: 0, xs: [] }, { n: 2, xs: ["a"] }] }],
  ["unless", { template: "{{#unless ok}}not ok{{/unless}}", input: { ok: "boolean" }, values: [{ ok: true }, { ok: false }] }],
  ["each with data vars", { template: "{{#each xs}}{{@index}}:{{this}}{{#if @first}}(first){{/if}}{{#if @last}}(last){{/if}} {{/each}}", input: { "xs(array)": "string" }, values: [{ xs: ["a", "b", "c"] }, { xs: [] }] }],
  ["each else", { template: "{{#each xs}}{{this}}{{else}}empty{{/each}}", input: { "xs?(array)": "string" }, values: [{ xs: [] }, {}, { xs: ["q"] }] }],
  ["each over objects with fields and ../", { template: "{{#each items}}{{name}} x{{qty}} for {{../customer}}\n{{/each}}", input: { customer: "string", "items(array)": { name: "string", qty: "integer" } }, values: [{ customer: "Bo", items: [{ name: "pen", qty: 2 }, { name: "ink", qty: 1 }] }] }],
  ["each over a map with @key", { template: "{{#each scores}}{{@key}}={{this}};{{/each}}", input: { scores: { "(*)": "number" } }, values: [{ scores: { a: 1, b: 2 } }] }],
  ["each and with whose bodies ignore the item", { template: "{{#each xs}}-{{/each}} {{#with o}}has o{{/with}}", input: { "xs(array)": "string", "o?(object)": { a: "string" } }, values: [{ xs: ["a", "b"], o: { a: "x" } }, { xs: [] }] }],
  ["block params", { template: "{{#each xs as |x i|}}{{i}}={{x}} {{/each}}", input: { "xs(array)": "string" }, values: [{ xs: ["p", "q"] }] }],
  ["with and nested paths", { template: "{{#with user}}{{name}} <{{contact.email}}>{{else}}nobody{{/with}} {{user.name}}", input: { "user?(object)": { name: "string", "contact(object)": { email: "string" } } }, values: [{ user: { name: "Li", contact: { email: "li@x.io" } } }, {}] }],
  ["standalone lines are stripped", { template: "A\n{{#if x}}\n  inner\n{{/if}}\nB\n", input: { x: "boolean" }, values: [{ x: true }, { x: false }] }],
  ["whitespace control", { template: "a  {{~#if x~}}  b  {{~/if~}}  c", input: { x: "boolean" }, values: [{ x: true }, { x: false }] }],
  ["helpers", { template: "{{json obj}} {{json obj indent=2}} {{eq a \"x\"}} {{#if (and a (not b))}}A{{/if}} {{#if (or b (ne a \"x\"))}}B{{/if}} {{join tags}} {{join tags \" | \"}} {{#if (gt n 2)}}big{{/if}}{{#if (lt n 2)}}small{{/if}}", input: { obj: "any", a: "string", b: "boolean", "tags(array)": "string", n: "number" }, values: [{ obj: { k: [1, "2"] }, a: "x", b: false, tags: ["t1", "t2"], n: 3 }, { obj: null, a: "y", b: true, tags: [], n: 1 }] }],
  ["partials, standalone partials indent", { template: "{{> sig}}\nList:\n  {{> item}}\n", input: { name: "string", label: "string" }, values: [{ name: "Sam", label: "one" }] }],
  ["partial with a context", { template: "{{#each people}}{{> sig this}} {{/each}}", input: { "people(array)": { name: "string" } }, values: [{ people: [{ name: "A" }, { name: "B" }] }] }],
  ["escapes and special characters", { template: "`back` ${notvar} \\{{literal}} {{x}}", input: { x: "string" }, values: [{ x: "`${x}`\\" }] }],
  ["plain text with braces and backslashes", { template: "JSON looks like {\"a\": 1} \\{ \\\\ } `x` ${y}\n", input: {}, values: [{}] }],
  ["comments and length", { template: "{{! a comment }}{{xs.length}} {{s.length}}", input: { "xs(array)": "number", s: "string" }, values: [{ xs: [1, 2], s: "abc" }] }],
];

