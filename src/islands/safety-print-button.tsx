/**
 * A "Print" button for the safety summary. It needs JavaScript, so it renders nothing on
 * the server and appears only once hydrated; without JavaScript the page says how to print.
 */
import { useEffect, useState } from "preact/hooks";

export default function SafetyPrintButton() {
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  if (!ready) return null;
  return (
    <button type="button" onClick={() => window.print()}>
      Print this summary
    </button>
  );
}
