/** What the page needs for its first paint, embedded so the timeline needs no second request. */
export interface PageBoot {
  days: string[];
  today: string;
  prev: string;
  next: string | null;
  timeZone: string;
  [key: string]: unknown;
}

/**
 * The page's shell: static structure, the boot data as a JSON block (inert under the CSP; `<` is
 * escaped so no journal text can close the block), and the page's own style and script inlined
 * (the CSP allows exactly those two blocks by hash), so the first paint needs one request.
 */
export function renderPageHtml(boot: PageBoot, csrf: string, code: { script: string; style: string }): string {
  const json = JSON.stringify(boot).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
  const title = boot.days.length === 1 ? boot.days[0]! : `${boot.days[0]} – ${boot.days.at(-1)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${csrf}">
<title>Vigil — ${title}</title>
<link rel="icon" href="data:,">
<style>${code.style}</style>
<script type="application/json" id="boot">${json}</script>
</head>
<body>
<header>
  <h1>Vigil <span class="muted">review</span></h1>
  <nav aria-label="days">
    <a id="prev-day" href="/?day=${boot.prev}">← ${boot.prev}</a>
    <strong id="shown-days">${title}</strong>
    ${boot.next ? `<a id="next-day" href="/?day=${boot.next}">${boot.next} →</a>` : ""}
    <a href="/">since last review</a>
  </nav>
</header>
<main>
  <section id="waiting" aria-labelledby="waiting-title"><h2 id="waiting-title">Waiting for you</h2><div class="body"></div></section>
  <section id="summary" aria-label="the day in numbers"></section>
  <section id="timeline" aria-labelledby="timeline-title"><h2 id="timeline-title">Timeline</h2><div class="controls"></div><ol class="rows"></ol></section>
  <section id="costs" aria-labelledby="costs-title"><h2 id="costs-title">Cost, last 14 days</h2><div class="numbers"></div><div class="chart"></div></section>
  <section id="memory" aria-labelledby="memory-title"><h2 id="memory-title">Memory</h2><div class="body"></div></section>
  <section id="search" aria-labelledby="search-title"><h2 id="search-title">Search the journal</h2>
    <form id="search-form" role="search"><input id="search-query" name="q" type="search" placeholder="words to find" autocomplete="off" required> <button type="submit">Search</button></form>
    <ol class="results"></ol></section>
  <section id="chain" aria-labelledby="chain-title"><h2 id="chain-title">Journal chain</h2><div class="body">checking…</div></section>
</main>
<script>${code.script}</script>
</body>
</html>
`;
}
