/**
 * The upload progress of a large form (the sleep import): sends the form with XMLHttpRequest,
 * whose upload events say how much has gone, and shows a progress bar; then shows the answer
 * (the page after the redirect, or the form again with its message). Without JavaScript the
 * form posts as usual and this renders nothing.
 */
import { useEffect, useState } from "preact/hooks";

interface Props {
  /** The id of the form to send. */
  formId: string;
}

type State =
  | { kind: "idle" }
  | { kind: "sending"; sent: number; total: number }
  | { kind: "reading" }
  | { kind: "failed"; message: string };

const megabytes = (n: number) => `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;

/** Replaces the page with the server's answer (same origin, so its scripts and styles are ours). */
function showAnswer(xhr: XMLHttpRequest): void {
  const doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
  const main = doc.querySelector("main");
  if (xhr.responseURL && xhr.responseURL !== window.location.href && xhr.status < 400) {
    window.location.assign(xhr.responseURL);
    return;
  }
  const here = document.querySelector("main");
  if (main && here) {
    here.replaceWith(main);
    document.title = doc.title;
    main.querySelector<HTMLElement>("[role=alert], h1")?.focus();
  } else window.location.reload();
}

export default function UploadProgress({ formId }: Props) {
  const [state, setState] = useState<State>({ kind: "idle" });
  useEffect(() => {
    const form = document.getElementById(formId);
    if (!(form instanceof HTMLFormElement)) return;
    const onSubmit = (event: SubmitEvent) => {
      event.preventDefault();
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.onprogress = (e) =>
        setState({ kind: "sending", sent: e.loaded, total: e.lengthComputable ? e.total : 0 });
      xhr.upload.onload = () => setState({ kind: "reading" });
      xhr.onload = () => showAnswer(xhr);
      xhr.onerror = () =>
        setState({
          kind: "failed",
          message: "The upload stopped: the connection was lost. Nothing was stored. Please try again.",
        });
      setState({ kind: "sending", sent: 0, total: 0 });
      xhr.send(new FormData(form));
    };
    form.addEventListener("submit", onSubmit);
    return () => form.removeEventListener("submit", onSubmit);
  }, [formId]);

  if (state.kind === "idle") return null;
  if (state.kind === "failed")
    return (
      <p role="alert" class="callout warn">
        {state.message}
      </p>
    );
  if (state.kind === "reading") {
    return (
      <div class="upload-progress" role="status">
        <progress aria-label="Reading the file" />
        <p>Uploaded. Reading the file and finding your nights; a large export takes a minute or two…</p>
      </div>
    );
  }
  const percent = state.total > 0 ? Math.floor((state.sent / state.total) * 100) : 0;
  return (
    <div class="upload-progress" role="status">
      <progress max={100} value={percent} aria-label="Upload" />
      <p>
        Uploading: {percent} % ({megabytes(state.sent)}
        {state.total > 0 ? ` of ${megabytes(state.total)}` : ""})
      </p>
    </div>
  );
}
