/**
 * The weight-and-position part of the /mats form and its results. Rendered on the server with the
 * submitted values (so it works without JavaScript); once hydrated it recomputes as you type,
 * with the same core functions the server uses.
 */
import { useState } from "preact/hooks";
import {
  describeComparison,
  formatEstimate,
  formatGrams,
  formatKg,
  formatNewtons,
  formatTips,
} from "../core/pressure/format";
import {
  BODY_MASS_LIMITS,
  estimateContact,
  estimatePressure,
  parseBodyMass,
  POSITION_MODELS,
  POSITIONS,
  type ContactEstimate,
  type MatGeometry,
  type Position,
} from "../core/pressure/model";

/** What the island needs to know about each compared mat. */
export interface CalculatorMat extends MatGeometry {
  id: string;
  name: string;
  /** "exact", "about", "at least" or "more than": how the maker words the spike count. */
  countQualifier: string;
}

interface Props {
  mats: CalculatorMat[];
  initialMass: string;
  initialPosition: Position;
}

/** Caveats on one mat's estimate, listed under the table. */
function notesFor(mat: CalculatorMat, contact: ContactEstimate): string[] {
  if (contact.kind !== "estimate") return [];
  const notes: string[] = [];
  if (mat.countQualifier === "at least" || mat.countQualifier === "more than")
    notes.push(
      `${mat.name}: the spike count is ${mat.countQualifier} the figure used, so this mat may be a little gentler than shown.`,
    );
  if (contact.footprintExceedsMat)
    notes.push(
      `${mat.name}: the mat is smaller than the area that would touch it, so the estimate puts the whole load on the whole mat and leans to the intense side.`,
    );
  return notes;
}

function rememberInUrl(mass: string, position: Position): void {
  const url = new URL(window.location.href);
  url.searchParams.set("mass", mass);
  url.searchParams.set("position", position);
  window.history.replaceState(null, "", url);
}

export default function MatCalculator({ mats, initialMass, initialPosition }: Props) {
  const [mass, setMass] = useState(initialMass);
  const [position, setPosition] = useState<Position>(initialPosition);

  const massGiven = mass.trim() !== "";
  const parsed = parseBodyMass(mass);
  const massError = massGiven && !parsed.ok ? parsed.message : null;
  const massKg = parsed.ok ? parsed.kg : null;
  const rows = mats.map((mat) => ({
    mat,
    contact: estimateContact(mat, position),
    pressure: massKg === null ? null : estimatePressure({ massKg, position, mat }),
  }));
  const summary = describeComparison(rows.map((r) => ({ name: r.mat.name, contact: r.contact })));
  const describedBy = ["mass-hint", massError ? "mass-error" : ""].filter(Boolean).join(" ");
  const positionLabel = POSITION_MODELS[position].label.toLowerCase();
  const notes = rows.flatMap((r) => notesFor(r.mat, r.contact));

  const update = (nextMass: string, nextPosition: Position) => {
    setMass(nextMass);
    setPosition(nextPosition);
    rememberInUrl(nextMass, nextPosition);
  };

  return (
    <div class="mat-calc">
      <fieldset>
        <legend>Your weight and position</legend>
        <div class="field">
          <label for="mass">Body mass in kilograms</label>
          <span id="mass-hint" class="muted">
            Between {BODY_MASS_LIMITS.minKg} and {BODY_MASS_LIMITS.maxKg} kg. It stays in this page's address and is not
            stored.
          </span>
          <input
            id="mass"
            name="mass"
            type="text"
            inputMode="decimal"
            autoComplete="off"
            size={8}
            value={mass}
            aria-invalid={massError ? "true" : undefined}
            aria-describedby={describedBy}
            onInput={(e) => update(e.currentTarget.value, position)}
          />
          {massError && (
            <p id="mass-error" class="field-error">
              {massError}
            </p>
          )}
        </div>
        <fieldset class="mat-calc-positions">
          <legend>Position</legend>
          {POSITIONS.map((p) => (
            <label key={p} class="mat-calc-radio">
              <input type="radio" name="position" value={p} checked={p === position} onChange={() => update(mass, p)} />{" "}
              {POSITION_MODELS[p].label}
            </label>
          ))}
        </fieldset>
      </fieldset>
      <button type="submit">Compare and calculate</button>

      <section aria-labelledby="estimate-heading" class="mat-calc-results">
        <h2 id="estimate-heading">
          Estimated pressure{massKg !== null ? ` for ${formatKg(massKg)}` : ""}, {positionLabel}
        </h2>
        <div aria-live="polite">
          <p>
            <strong>{summary}</strong>
          </p>
          {massKg === null && <p class="muted">Enter your body mass to see the load on each tip in newtons.</p>}
        </div>
        <p class="muted">
          Intensity index 1.0 = you, lying on your back on a 6,210-spike mat of 74 × 40 cm. Higher means more force on
          each tip.
        </p>
        <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="estimate-caption">
          <table>
            <caption id="estimate-caption" class="visually-hidden">
              Estimates{massKg !== null ? ` for ${formatKg(massKg)}` : ""}, {positionLabel}
            </caption>
            <thead>
              <tr>
                <th scope="col">Mat</th>
                <th scope="col">Tips touching you</th>
                <th scope="col">Load per tip</th>
                <th scope="col">Intensity index</th>
              </tr>
            </thead>
            <EstimateRows rows={rows} />
          </table>
        </div>
        {notes.length > 0 && (
          <ul class="mat-calc-notes">
            {notes.map((n) => (
              <li key={n}>
                <span aria-hidden="true">* </span>
                {n}
              </li>
            ))}
          </ul>
        )}
        {massKg !== null && <WhereTheLoadGoes rows={rows} />}
        <p class="muted">
          These are estimates from a simple physical model, not measurements, and they say nothing about health effects.
          The section below explains every step and assumption.
        </p>
      </section>
    </div>
  );
}

type Row = { mat: CalculatorMat; contact: ContactEstimate; pressure: ReturnType<typeof estimatePressure> | null };

/** One row per mat: tips touching, load per tip and intensity index, or why it cannot be estimated. */
function EstimateRows({ rows }: { rows: Row[] }) {
  return (
    <tbody>
      {rows.map(({ mat, contact, pressure }) =>
        contact.kind === "unknown" ? (
          <tr key={mat.id}>
            <th scope="row">{mat.name}</th>
            <td colSpan={3}>{contact.reason}</td>
          </tr>
        ) : (
          <tr key={mat.id}>
            <th scope="row">{mat.name}</th>
            <td>{formatTips(contact.tips)}</td>
            <td>
              {pressure?.kind === "estimate" ? (
                <>
                  {formatNewtons(pressure.loadPerTipN)}
                  <span class="mat-calc-grams"> ({formatGrams(pressure.gramsPerTip)})</span>
                </>
              ) : (
                "needs your body mass"
              )}
            </td>
            <td>
              <strong>{formatEstimate(contact.intensityIndex)}</strong>
              {notesFor(mat, contact).length > 0 && <span aria-hidden="true">*</span>}
            </td>
          </tr>
        ),
      )}
    </tbody>
  );
}

/** Where each mat's load goes, region by region (shown once a body mass is given). */
function WhereTheLoadGoes({ rows }: { rows: Row[] }) {
  if (!rows.some((r) => r.pressure?.kind === "estimate")) return null;
  return (
    <details>
      <summary>Where the load goes</summary>
      <ul>
        {rows.map(({ mat, pressure }) =>
          pressure?.kind === "estimate" ? (
            <li key={mat.id}>
              {mat.name}: about {formatEstimate(pressure.loadN)} N on the mat in all.{" "}
              {pressure.regions
                .map(
                  (r) =>
                    `${r.label}: ${formatEstimate(r.loadN)} N over ${formatTips(r.tips)} tips, ${formatEstimate(r.loadPerTipN)} N each`,
                )
                .join("; ")}
              .
            </li>
          ) : null,
        )}
      </ul>
    </details>
  );
}
