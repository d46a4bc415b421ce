/**
 * A "Copy" button for a piece of text (the calendar feed address). It needs JavaScript and the
 * clipboard, so it renders nothing on the server and appears only once hydrated; without it the
 * address stays on the page to select by hand.
 */
import { useEffect, useState } from "preact/hooks";

export default function CopyButton({ text, label = "Copy the address" }: { text: string; label?: string }) {
  const [ready, setReady] = useState(false);
  const [copied, setCopied] = useState<"no" | "yes" | "failed">("no");
  useEffect(() => setReady(typeof navigator !== "undefined" && Boolean(navigator.clipboard)), []);
  if (!ready) return null;
  const copy = () => {
    navigator.clipboard.writeText(text).then(
      () => setCopied("yes"),
      () => setCopied("failed"),
    );
  };
  return (
    <span class="copy-button">
      <button type="button" class="secondary" onClick={copy}>
        {label}
      </button>{" "}
      <span role="status">
        {copied === "yes"
          ? "Copied."
          : copied === "failed"
            ? "Could not copy: select the address and copy it by hand."
            : ""}
      </span>
    </span>
  );
}
