// The event capture page's service worker (consultation.staff_views.capture_worker): keeps
// the page and what it needs, so that, opened once online, it opens again offline. The page
// is asked of the network first (a fresh sign-in and token when online), and kept copies
// answer when there is none; static files are kept ones first. Nothing else is touched:
// the sign-in's token and sending answers always go to the network.
const CACHE = {{ cache_name|safe }};
const KEPT = {{ urls|safe }};
const PAGE = KEPT[0];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(KEPT)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("dit-capture-") && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (request.mode === "navigate" && url.pathname === PAGE) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && !response.redirected) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(PAGE, copy));
          }
          return response;
        })
        .catch(() => caches.match(PAGE)),
    );
  } else if (url.pathname !== PAGE && KEPT.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((kept) => kept || fetch(request)));
  }
});
