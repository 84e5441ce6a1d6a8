// Runs inside the service worker: sw.js (made by build_tools/sw-build.mjs) imports this file.
//
// A new build waits (skipWaiting is off) until the page asks for it with
// {type: "KCM_ACTIVATE_UPDATE"} over a MessageChannel. It is activated only when the asking tab
// is the site's only open tab: activating it while another tab is open would hand that tab the
// files of the new build halfway through its life (a page mixing two builds). The answer says how
// many other tabs are still open, so the page can ask the assessor to close them first.
self.addEventListener("message", (event) => {
  const data = event.data;
  if (!data || data.type !== "KCM_ACTIVATE_UPDATE") {
    return;
  }
  const port = event.ports && event.ports[0];
  const askingId = event.source && "id" in event.source ? event.source.id : null;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const otherTabs = windows.filter((client) => client.id !== askingId).length;
      if (otherTabs === 0) {
        await self.skipWaiting();
      }
      if (port) {
        port.postMessage({ activated: otherTabs === 0, otherTabs });
      }
    })(),
  );
});
