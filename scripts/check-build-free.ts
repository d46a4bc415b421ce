// First step of `npm run build`: refuse to empty dist/ while a matwise server runs from it
// (src/server/build-in-use.ts, issue 28 item 10).
import { join } from "node:path";
import { buildRefusal } from "../src/server/build-in-use";

const refusal = buildRefusal(join(import.meta.dirname, ".."));
if (refusal) {
  console.error(refusal);
  process.exit(1);
}
