/** The position pictures inside islands: the same drawings as PositionPicture.astro, from src/core/pictures. */
import {
  PICTURE,
  PICTURE_STROKE,
  PICTURE_VIEWBOX,
  type PositionPicture as Picture,
} from "../../core/pictures/positions";

export function PositionPicture({ picture, width = 96 }: { picture: Picture; width?: number }) {
  // Decorative here: the choice's label says the same in words.
  return (
    <svg
      class="position-picture"
      viewBox={PICTURE_VIEWBOX}
      width={width}
      height={Math.round((width * 72) / 120)}
      aria-hidden="true"
      focusable="false"
      {...PICTURE_STROKE}
      // Static markup from src/core/pictures, never anything a person typed.
      dangerouslySetInnerHTML={{ __html: PICTURE[picture].svg }}
    />
  );
}
