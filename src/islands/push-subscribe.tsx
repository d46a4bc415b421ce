/**
 * "Send notifications to this device": asks the browser for permission only after the tap,
 * subscribes through the service worker with the server's VAPID key, and sends the subscription
 * to /account/reminders/push. Renders nothing until hydrated; without JavaScript (or push) the
 * page offers email and the calendar instead.
 */
import { useEffect, useState } from "preact/hooks";

type State = "hidden" | "ready" | "working" | "on" | "denied" | "no-worker" | "failed";

const MESSAGES: Partial<Record<State, string>> = {
  on: "This device will show your reminders. It is listed below after you reload the page.",
  denied:
    "This browser said no to notifications. You can allow them in the site settings of your browser and tap again.",
  "no-worker": "This browser has not set up matwise's offline app yet. Reload the page once and try again.",
  failed: "The subscription could not be saved. Check the connection and try again.",
};

export default function PushSubscribe({ publicKey }: { publicKey: string }) {
  const [state, setState] = useState<State>("hidden");
  useEffect(
    () =>
      setState(
        "serviceWorker" in navigator && "PushManager" in window && "Notification" in window ? "ready" : "hidden",
      ),
    [],
  );
  if (state === "hidden") return null;

  async function subscribe() {
    setState("working");
    try {
      if ((await Notification.requestPermission()) !== "granted") return setState("denied");
      const registration = await navigator.serviceWorker.getRegistration();
      if (!registration) return setState("no-worker");
      // The key as base64url text, which the Push API accepts as it is.
      const send = async () => {
        const subscription = await registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: publicKey,
        });
        const res = await fetch("/account/reminders/push", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(subscription.toJSON()),
        });
        return { subscription, res };
      };
      let { subscription, res } = await send();
      // 409: this browser's subscription belongs to another account (someone else used matwise
      // here). It is never moved; a new subscription (a new endpoint) is made for this person.
      if (res.status === 409) {
        await subscription.unsubscribe();
        ({ subscription, res } = await send());
      }
      setState(res.ok ? "on" : "failed");
    } catch {
      setState("failed");
    }
  }

  return (
    <div class="push-subscribe">
      <button type="button" onClick={() => void subscribe()} disabled={state === "working"}>
        Send notifications to this device
      </button>
      <p role="status">{MESSAGES[state] ?? ""}</p>
    </div>
  );
}
