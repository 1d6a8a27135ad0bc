// The one module of Handlebars a build loads: its parser (see parse.ts).
declare module "handlebars/dist/cjs/handlebars/compiler/base.js" {
  export function parse(input: string): hbs.AST.Program;
}
