/** Minimal, accessible HTML for the consent and error pages (no scripts, no external assets). */

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
}

export type ConsentPage = {
  /** e.g. "Seller Central" or "Login with Amazon". */
  brand: string
  appName: string
  /** One sentence on what approving grants. */
  summary: string
  appDetails: Array<[label: string, value: string]>
  accountHeading: string
  accountDetails: Array<[label: string, value: string]>
  /** Marketplaces or profiles the account brings. */
  listHeading: string
  listItems: string[]
  /** Where the form posts (this same URL: path and query). */
  action: string
}

const STYLE = `
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
  body { margin: 0; padding: 2rem 1rem; background: Canvas; color: CanvasText; }
  main { max-width: 36rem; margin: 0 auto; border: 1px solid GrayText; border-radius: 8px; padding: 1.5rem 2rem; }
  .brand { font-size: .875rem; letter-spacing: .02em; margin: 0 0 1rem; }
  h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
  h2 { font-size: 1rem; margin: 1.5rem 0 .5rem; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
  dt { font-weight: 600; } dd { margin: 0; overflow-wrap: anywhere; }
  .actions { display: flex; gap: .75rem; margin-top: 1.5rem; }
  button { font: inherit; padding: .6rem 1.4rem; border-radius: 6px; border: 1px solid ButtonBorder; cursor: pointer; }
  button[value=approve] { background: #ffd814; color: #0f1111; border-color: #fcd200; font-weight: 600; }
  button:focus-visible { outline: 3px solid Highlight; outline-offset: 2px; }
  .code { font-family: ui-monospace, monospace; }
`

function shell(title: string, content: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${content}
</body>
</html>
`
}

function details(rows: Array<[string, string]>): string {
  return `<dl>${rows.map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`).join('')}</dl>`
}

export function renderConsentPage(page: ConsentPage): string {
  const title = `Authorize ${page.appName}`
  return shell(
    `${title} · ${page.brand}`,
    `<main aria-labelledby="consent-title">
<p class="brand">Amazon ${escapeHtml(page.brand)} · local stand-in</p>
<h1 id="consent-title">${escapeHtml(title)}</h1>
<p id="consent-summary">${escapeHtml(page.summary)}</p>
<section aria-labelledby="app-heading">
<h2 id="app-heading">Application</h2>
${details(page.appDetails)}
</section>
<section aria-labelledby="account-heading">
<h2 id="account-heading">${escapeHtml(page.accountHeading)}</h2>
${details(page.accountDetails)}
<h2 id="list-heading">${escapeHtml(page.listHeading)}</h2>
<ul aria-labelledby="list-heading">${page.listItems.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>
</section>
<form method="post" action="${escapeHtml(page.action)}" aria-describedby="consent-summary">
<div class="actions">
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</div>
</form>
</main>`,
  )
}

/** What Amazon shows instead of redirecting when it cannot trust the request (unknown app, bad redirect URI). */
export function renderErrorPage({ brand, message, code }: { brand: string; message: string; code?: string }): string {
  return shell(
    `Authorization error · ${brand}`,
    `<main aria-labelledby="error-title">
<p class="brand">Amazon ${escapeHtml(brand)} · local stand-in</p>
<h1 id="error-title">We can't complete this authorization</h1>
<p role="alert">${escapeHtml(message)}</p>
${code ? `<p>Error code: <span class="code">${escapeHtml(code)}</span></p>` : ''}
</main>`,
  )
}
