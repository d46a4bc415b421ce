// Registers matwise's service worker (decision 091): the guides, Today and the timer then work offline.
// Not while a first page view loads (issue 27 item 7): on a first visit the worker and its precache wait until the
// person does something on the page (a tap, a key, a scroll), so they never compete with the page for the main thread
// while it becomes usable. Once registered (or when a worker already controls the page), every later page registers
// at load as before, which also picks up a new worker.
(function () {
  if (!("serviceWorker" in navigator)) return;
  var KEY = "matwise-sw";
  var done = false;
  function register() {
    if (done) return;
    done = true;
    try { localStorage.setItem(KEY, "1"); } catch { /* private mode: registers on the next interaction again */ }
    navigator.serviceWorker.register("/sw.js").catch(function () {});
  }
  var seen = false;
  try { seen = localStorage.getItem(KEY) === "1"; } catch { /* no storage */ }
  if (seen || navigator.serviceWorker.controller) {
    addEventListener("load", register);
    return;
  }
  ["pointerdown", "keydown", "touchstart", "scroll"].forEach(function (type) {
    addEventListener(type, register, { once: true, passive: true });
  });
})();
