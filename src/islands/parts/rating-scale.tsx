/**
 * The 0–10 tap scale inside islands: the same markup and classes as RatingScale.astro (styles in
 * ScaleStyles.astro), so a rating looks and works the same with or without the island.
 */
import { RATING_TEXT } from "../../core/sessions/labels";
import type { RatingName } from "../../core/sessions/options";

const STEPS = Array.from({ length: 11 }, (_, i) => i);

interface Props {
  name: RatingName;
  idPrefix: string;
  value: string;
  onChange: (value: string) => void;
  optional?: boolean;
  /** Overrides the legend (e.g. "Pain" for a before-rating asked before the session). */
  label?: string;
}

export function RatingScale({ name, idPrefix, value, onChange, optional = false, label }: Props) {
  const t = RATING_TEXT[name];
  return (
    <fieldset class="scale" id={`${idPrefix}-${name}`}>
      <legend>
        {label ?? t.label}
        {optional && <span class="scale-optional"> (optional)</span>}
      </legend>
      <div class="scale-row">
        {STEPS.map((n) => (
          <label class="scale-option" key={n}>
            <input
              type="radio"
              name={name}
              value={String(n)}
              checked={value === String(n)}
              required={!optional}
              aria-label={n === 0 ? `0, ${t.low}` : n === 10 ? `10, ${t.high}` : undefined}
              onChange={() => onChange(String(n))}
            />
            <span class="scale-number">{n}</span>
          </label>
        ))}
      </div>
      <p class="scale-ends" aria-hidden="true">
        <span>0 {t.low}</span>
        <span>{t.high} 10</span>
      </p>
      {optional && (
        <label class="scale-skip">
          <input type="radio" name={name} value="" checked={value === ""} onChange={() => onChange("")} /> Skip
        </label>
      )}
    </fieldset>
  );
}
