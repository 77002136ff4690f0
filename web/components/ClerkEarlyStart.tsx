// Clerk builds: what every exported page starts while its own JS is still downloading. A `<link rel=preload>` in the
// head fetches the client config as soon as the HTML arrives, and an inline script takes that response and, once
// the publishable key is in, preloads clerk-js and @clerk/ui from the Frontend API the key names. Without it those
// two start only after React has hydrated and read the key, and one after the other (Clerk's loader runs clerk-js
// before fetching @clerk/ui). lib/client-config.ts takes over the same response (window.__sellersyncClientConfig),
// so the config is requested once. The script's hash is in the page's CSP like Next's own inline scripts
// (build/headers-adapter.ts). Not a `Link` response header: Chromium also acts on one of a same-path RSC fetch,
// and would preload again without using it.
import { clerkJSScriptUrl, clerkUIScriptUrl } from '@clerk/shared/loadClerkJsScript'
import { preload } from 'react-dom'

/** A stand-in host for the one the key names at run time: Clerk's helpers build the URLs its loader will use. */
const HOST = 'frontend-api.invalid'
const placeholderKey = `pk_live_${btoa(`${HOST}$`)}`
const scriptUrls = [clerkJSScriptUrl({ publishableKey: placeholderKey }), clerkUIScriptUrl({ publishableKey: placeholderKey })]

// Plain ES5-style code: it runs before any bundle, in every browser the dashboard supports.
const source = `(function () {
  var response = fetch('/api/client-config');
  window.__sellersyncClientConfig = response;
  response.then(function (r) { return r.ok ? r.clone().json() : null; }).then(function (config) {
    if (!config) return;
    var host = atob(config.clerkPublishableKey.replace(/^pk_(test|live)_/, '')).replace(/\\$$/, '');
    ${JSON.stringify(scriptUrls)}.forEach(function (url) {
      var link = document.createElement('link');
      link.rel = 'preload';
      link.as = 'script';
      link.crossOrigin = 'anonymous';
      link.href = url.replace(${JSON.stringify(HOST)}, host);
      document.head.appendChild(link);
    });
  }).catch(function () {});
})();`

export function ClerkEarlyStart() {
  // anonymous: same origin with credentials, what a plain fetch() sends, so the inline script's fetch reuses it.
  preload('/api/client-config', { as: 'fetch', crossOrigin: 'anonymous' })
  return <script dangerouslySetInnerHTML={{ __html: source }} />
}
