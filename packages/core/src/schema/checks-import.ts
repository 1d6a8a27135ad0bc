/** How generated `*.schemas.ts` modules name the runtime's `schemaChecks` (formats, uniqueItems…). */
export const CHECKS_IMPORT = "schemaChecks";
