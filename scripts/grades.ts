/**
 * Prints the certainty grade of every outcome area with its reasons, computed from the data in
 * src/content/{studies,areas}. Guide writers use it to make [[certainty:AREA=LEVEL]] markers match.
 * Usage: npx tsx scripts/grades.ts [--json]
 */
import { loadEvidence } from "../src/content/markers/load-evidence";

const { grades } = loadEvidence();
if (process.argv.includes("--json")) {
  console.log(JSON.stringify(grades, null, 2));
} else {
  for (const g of grades) {
    const n = `${g.participants}${g.participantsComplete ? "" : "+"}`;
    console.log(`${g.area}: ${g.level}   (controlled trials: ${g.controlledStudies.length}, participants: ${n})`);
    console.log(`  marker: [[certainty:${g.area}=${g.level}]]`);
    for (const r of g.reasons) console.log(`  ${r.change > 0 ? `-${r.change}` : " 0"} ${r.text}`);
    for (const f of g.findings) console.log(`  * ${f}`);
    for (const s of g.sensitivity)
      console.log(
        `  ? ${s.studyName} did not report its size: ${s.steps.map((x) => `with at least ${x.atLeast} analysed, ${x.level}`).join("; ")}`,
      );
    console.log("");
  }
}
