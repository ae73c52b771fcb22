// Offline use: registers the service worker (dist/sw.js, written at build time by
// tools/service-worker.mjs) so that after the first visit Framewise starts with the network off,
// and, when a new release has been installed beside the running one, shows
// "A new version of Framewise is available." with a Reload button.
//
// Plain JavaScript beside the app (not in the wasm): it works even if the app's wasm failed to
// start, so a broken release can still be replaced by the next one. Only a release build
// registers the worker (its index.html carries <meta name="framewise-build">); the single-file
// build (tools/single-file.mjs) leaves this script out, as file:// pages have no service workers.
const build = document.querySelector('meta[name="framewise-build"]')?.getAttribute("content");
if (build && window.isSecureContext && "serviceWorker" in navigator && location.protocol !== "file:") {
  // Offline use is an extra: a browser that refuses it (private window, storage blocked) still
  // runs the app from the network. Registered once the app has started, so that on a slow link
  // the worker's downloads (mostly answered by the HTTP cache) never hold up the first start;
  // ten seconds after load at the latest, so that even a release whose app fails to start
  // can be replaced.
  let registering = false;
  const start = () => {
    if (registering) return;
    registering = true;
    register().catch(() => {});
  };
  addEventListener("TrunkApplicationStarted", start, { once: true });
  addEventListener("load", () => setTimeout(start, 10_000), { once: true });
}

async function register() {
  const sw = navigator.serviceWorker;
  const registration = await sw.register(new URL("sw.js", import.meta.url).href);
  const hadController = sw.controller !== null;
  let asked = false;
  sw.addEventListener("controllerchange", () => {
    if (asked) {
      location.reload();
    } else if (hadController) {
      // Another tab took the new version: this page runs the old one with the new one's cache.
      showNotice(registration, () => {
        asked = true;
      });
    }
  });
  const offer = () => {
    // The first install has nothing to replace: no notice.
    if (sw.controller && registration.waiting) {
      showNotice(registration, () => {
        asked = true;
      });
    }
  };
  offer();
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker?.addEventListener("statechange", () => {
      if (worker.state === "installed") offer();
    });
  });
  // While the app stays open, look for a new release now and then (the browser also looks on
  // every load).
  setInterval(() => registration.update().catch(() => {}), 60 * 60 * 1000);
}

/** The notice (a labelled region at the bottom of the page) with its Reload button. */
function showNotice(registration, onAsk) {
  let notice = document.getElementById("update-notice");
  if (!notice) {
    notice = document.createElement("div");
    notice.id = "update-notice";
    notice.className = "update-notice";
    notice.setAttribute("role", "region");
    notice.setAttribute("aria-label", "New version");
    const status = document.createElement("p");
    status.setAttribute("role", "status");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "primary";
    button.textContent = "Reload";
    notice.append(status, button);
    document.body.append(notice);
    // Filled in after the live region exists, so that screen readers announce it.
    setTimeout(() => {
      status.textContent = "A new version of Framewise is available.";
    }, 50);
  }
  notice.querySelector("button").onclick = () => {
    const waiting = registration.waiting;
    if (waiting) {
      // The new version takes over (sw.js "skip-waiting"); "controllerchange" then reloads.
      onAsk();
      waiting.postMessage("skip-waiting");
      // Should the message go astray, reload anyway (the notice comes back if still waiting).
      setTimeout(() => location.reload(), 5000);
    } else {
      location.reload();
    }
  };
}
