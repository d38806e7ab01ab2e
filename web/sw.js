// Caches the app shell only (HTML, CSS, JavaScript, texts, icons) so the app starts fast and
// installs; the API and Cognito are other origins and never pass through here, so money
// figures are always fresh. Network first: a new deploy shows at once when online.
const CACHE = 'coop-shell-v1';
const SHELL = [
  './', 'index.html', 'manifest.webmanifest', 'css/app.css',
  'js/app.js', 'js/api.js', 'js/auth.js', 'js/config.js', 'js/i18n.js', 'js/router.js', 'js/ui.js',
  'js/vocabulary.js',
  'js/pages/index.js', 'js/pages/apply.js', 'js/pages/signin.js', 'js/pages/home.js',
  'js/pages/opportunities.js', 'js/pages/opportunity.js', 'js/pages/meetings.js', 'js/pages/meeting.js',
  'js/pages/assignments.js',
  'js/pages/statement.js', 'js/pages/coins.js', 'js/pages/directory.js', 'js/pages/profile.js',
  'js/pages/unsubscribe.js',
  'js/pages/admin/applications.js', 'js/pages/admin/receivables.js', 'js/pages/admin/payables.js',
  'js/pages/admin/money_form.js', 'js/pages/admin/claims.js', 'js/pages/admin/jobs.js',
  'js/pages/admin/pots.js', 'js/pages/admin/intake.js', 'js/pages/admin/lists.js',
  'js/pages/admin/member.js', 'js/pages/admin/bank.js', 'js/pages/admin/bank_payouts.js',
  'i18n/nl.json', 'i18n/en.json',
  'icons/icon.svg', 'icons/icon-maskable.svg', 'icons/icon-192.png', 'icons/icon-512.png', 'icons/icon-maskable-512.png',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.endsWith('/config.json')) return; // always from the network
  event.respondWith(fetch(event.request)
    .then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(event.request, copy));
      }
      return response;
    })
    .catch(() => caches.match(event.request, { ignoreSearch: true })));
});
