/*
 * Push handling for matwise's service worker (imported by it with importScripts): shows a
 * reminder, opens its page on a tap, and stops that reminder from the "Stop these" action.
 * A message is JSON: { title, body, url, stopUrl, tag }.
 */
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { title: "matwise", body: event.data ? event.data.text() : "" };
  }
  event.waitUntil(
    self.registration.showNotification(data.title || "matwise", {
      body: data.body || "",
      tag: data.tag,
      data: { url: data.url || "/today", stopUrl: data.stopUrl },
      actions: data.stopUrl ? [{ action: "stop", title: "Stop these" }] : [],
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const { url, stopUrl } = event.notification.data || {};
  event.waitUntil(event.action === "stop" && stopUrl ? fetch(stopUrl, { method: "POST", body: "List-Unsubscribe=One-Click", headers: { "content-type": "application/x-www-form-urlencoded" } }) : self.clients.openWindow(url || "/today"));
});
