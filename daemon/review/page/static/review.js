// The review page. Plain JavaScript, no build step: the daemon serves this file as it is.
// Journal text is outside content: it only ever reaches the DOM as text (textContent), never as HTML.
(() => {
  "use strict";
  const boot = JSON.parse(document.getElementById("boot").textContent);
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const numbers = new Intl.NumberFormat("en-US");

  /** An element with a class and children (strings become text nodes). */
  function el(tag, className, ...children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  async function getJson(path) {
    const response = await fetch(path, { credentials: "same-origin", headers: { accept: "application/json" } });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || `HTTP ${response.status}`);
    return body;
  }

  async function postJson(path, body) {
    const response = await fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", "x-csrf-token": csrf },
      body: JSON.stringify(body || {}),
    });
    const result = await response.json();
    if (!response.ok) throw new Error(result.error || `HTTP ${response.status}`);
    return result;
  }

  const dollars = (value) => `$${value < 1 ? value.toFixed(4) : value.toFixed(2)}`;

  // ---- timeline -------------------------------------------------------------------------------

  /** One row: plain spans (a long day has thousands); its data opens on a click (see toggleData). */
  function renderRow(row) {
    const seq = el("a", "seq", `#${row.s}`);
    seq.href = `#seq-${row.s}`;
    const item = el(
      "li",
      `row k-${row.k}${row.q ? " quiet" : ""}${row.n === "error" || row.k === "error" ? " bad" : ""}`,
      seq,
      el("time", null, row.t),
      el("span", "kind", row.k === "wake" && row.q ? "quiet" : row.k),
      el("span", "msg", row.m),
      row.n ? el("span", "note", row.k === "wake" ? `woke for ${row.n}` : row.n) : null,
      row.u ? el("span", "usage", `${numbers.format(row.u[0])} tok · ${dollars(row.u[1])}`) : null,
    );
    item.id = `seq-${row.s}`;
    item.dataset.seq = String(row.s);
    item.title = "click for the row's data";
    return item;
  }

  /** A click on a row shows its journal data (fetched then), a second click hides it. */
  async function toggleData(item) {
    const open = item.nextElementSibling && item.nextElementSibling.classList.contains("data") ? item.nextElementSibling : null;
    if (open) {
      open.remove();
      item.classList.remove("open");
      return;
    }
    const pre = el("pre", "data", "loading…");
    const holder = el("li", "data", pre);
    item.after(holder);
    item.classList.add("open");
    try {
      const entry = await getJson(`/api/entries/${item.dataset.seq}`);
      pre.textContent = `${JSON.stringify(entry.data, null, 2)}\n\n${entry.ts}  seq ${entry.seq}\nprevHash ${entry.prevHash}\nhash     ${entry.hash}`;
    } catch (error) {
      pre.textContent = `could not load: ${error.message}`;
    }
  }

  /** Quiet wakes and the routine events around them fold into one line that opens in place. */
  function renderFold(rows) {
    const first = rows[0];
    const last = rows[rows.length - 1];
    const wakes = rows.filter((row) => row.q).length;
    const events = rows.length - wakes;
    const label = `${wakes} quiet wake${wakes === 1 ? "" : "s"}${events ? ` · ${events} routine event${events === 1 ? "" : "s"}` : ""}`;
    const button = el("button", "fold-button", `▸ ${label}`, el("span", "muted", ` ${first.t}${rows.length > 1 ? `–${last.t}` : ""}`));
    button.type = "button";
    const item = el("li", "fold", button);
    item.dataset.from = String(first.s);
    item.dataset.to = String(last.s);
    button.addEventListener("click", () => openFold(item, rows));
    item.openFold = () => openFold(item, rows);
    return item;
  }

  function openFold(item, rows) {
    const fragment = document.createDocumentFragment();
    for (const row of rows) fragment.append(renderRow(row));
    item.replaceWith(fragment);
  }

  /** Rows and folds in order. A run of quiet wakes and routine events folds, up to its last quiet
   *  wake: the event that led to an action stays in sight, next to the action. */
  function groupRows(rows) {
    const items = [];
    let run = [];
    const flush = () => {
      let end = run.length;
      while (end > 0 && !run[end - 1].q) end--;
      if (end) items.push({ fold: run.slice(0, end) });
      for (const row of run.slice(end)) items.push({ row });
      run = [];
    };
    for (const row of rows) {
      if (row.q || row.r) run.push(row);
      else {
        flush();
        items.push({ row });
      }
    }
    flush();
    return items;
  }

  const FIRST_SCREEN = 60;
  const CHUNK = 400;

  /** The first screenful at once, the rest a chunk per frame: a long day paints as fast as a short one. */
  function renderTimeline(done) {
    const { rows, counts } = boot.timeline;
    const list = document.querySelector("#timeline .rows");
    list.addEventListener("click", (event) => {
      const item = event.target.closest("li.row");
      if (item && !event.target.closest("a")) void toggleData(item);
    });
    const items = groupRows(rows);
    const append = (from, to) => {
      const fragment = document.createDocumentFragment();
      for (const item of items.slice(from, to)) fragment.append(item.fold ? renderFold(item.fold) : renderRow(item.row));
      list.append(fragment);
    };
    append(0, FIRST_SCREEN);
    if (rows.length === 0) list.append(el("li", "empty", "Nothing in the journal for this day."));
    renderSummary(rows, counts);
    // Each chunk goes in after a frame has been painted (a timeout from inside a frame callback
    // runs after that frame), so the first screen is never held back by the rows below it.
    const afterPaint = (next) => requestAnimationFrame(() => setTimeout(next, 0));
    const rest = (from) => {
      if (from >= items.length) return finish();
      append(from, from + CHUNK);
      afterPaint(() => rest(from + CHUNK));
    };
    const finish = () => {
      const quietCount = rows.filter((row) => row.q).length;
      if (quietCount) {
        const all = el("button", null, `Open all ${quietCount} quiet wakes`);
        all.type = "button";
        all.addEventListener("click", () => {
          for (const fold of [...list.querySelectorAll("li.fold")]) fold.openFold();
          all.remove();
        });
        document.querySelector("#timeline .controls").append(all);
      }
      revealHash();
      done();
    };
    requestAnimationFrame(() => {
      performance.mark("vigil:timeline-painted");
      setTimeout(() => rest(FIRST_SCREEN), 0);
    });
  }

  function renderSummary(rows, counts) {
    const wakes = rows.filter((row) => row.k === "wake");
    const spent = wakes.reduce((sum, row) => sum + (row.u ? row.u[1] : 0), 0);
    const tokens = wakes.reduce((sum, row) => sum + (row.u ? row.u[0] : 0), 0);
    const figure = (value, label) => el("div", "figure", el("strong", null, value), el("span", null, label));
    document.getElementById("summary").append(
      figure(String(wakes.length), `wakes (${wakes.filter((row) => row.q).length} quiet)`),
      figure(String(counts.acted || 0), "actions"),
      figure(String(counts.error || 0), "errors"),
      figure(String(counts.noticed || 0), "events noticed"),
      figure(numbers.format(tokens), "tokens in wakes"),
      figure(dollars(spent), "est. cost of wakes"),
    );
  }

  /** A link to `#seq-N` inside a fold opens the fold. */
  function revealHash() {
    const match = /^#seq-(\d+)$/.exec(location.hash);
    if (!match) return;
    const seq = Number(match[1]);
    if (!document.getElementById(`seq-${seq}`)) {
      const fold = [...document.querySelectorAll("li.fold")].find((item) => Number(item.dataset.from) <= seq && seq <= Number(item.dataset.to));
      if (fold) fold.openFold();
    }
    const target = document.getElementById(`seq-${seq}`);
    for (const old of document.querySelectorAll("li.row.target")) old.classList.remove("target");
    if (target) {
      target.classList.add("target");
      target.scrollIntoView({ block: "center" });
    }
  }

  // ---- waiting for the user ---------------------------------------------------------------------

  function renderApprovals() {
    const body = document.querySelector("#waiting .body");
    body.replaceChildren();
    if (!boot.approvals.length) {
      body.append(el("p", "muted", "Nothing waits for your approval."));
      return;
    }
    for (const item of boot.approvals) body.append(renderApproval(item));
  }

  function renderApproval(item) {
    const approve = el("button", "approve", "Approve");
    const deny = el("button", "deny", "Deny");
    approve.type = deny.type = "button";
    const outcome = el("p", "outcome");
    const card = el(
      "article",
      "approval",
      el("h3", null, `#${item.id} `, el("code", null, item.title)),
      el("p", "why", el("strong", null, "Held because: "), item.reason),
      renderDetail(item.detail, item.format),
      el("p", "muted", `${item.tool} · asked ${item.createdAt.slice(11, 16)} UTC · expires ${item.expiresAt.replace("T", " ").slice(0, 16)} UTC`),
      el("div", "buttons", approve, deny),
      outcome,
    );
    card.id = `approval-${item.id}`;
    const decide = async (verb) => {
      approve.disabled = deny.disabled = true;
      outcome.textContent = verb === "approve" ? "running…" : "denying…";
      try {
        const result = await postJson(`/api/approvals/${item.id}/${verb}`);
        outcome.textContent = result.state === "denied" ? "Denied: it will not run." : `${result.state === "done" ? "Done" : "Failed"}: ${result.output}`;
        card.classList.add(result.state);
      } catch (error) {
        outcome.textContent = error.message;
        card.classList.add("failed");
      }
    };
    approve.addEventListener("click", () => decide("approve"));
    deny.addEventListener("click", () => decide("deny"));
    return card;
  }

  /** A diff with its added and removed lines marked; other text as it is. */
  function renderDetail(text, format) {
    const pre = el("pre", `detail ${format}`);
    if (format !== "diff") {
      pre.textContent = text;
      return pre;
    }
    for (const line of text.split("\n")) {
      const kind = line.startsWith("+") && !line.startsWith("+++") ? "add" : line.startsWith("-") && !line.startsWith("---") ? "del" : line.startsWith("@@") ? "hunk" : "";
      pre.append(el("span", kind, `${line}\n`));
    }
    return pre;
  }

  // ---- cost ------------------------------------------------------------------------------------

  async function renderCosts() {
    const box = document.querySelector("#costs .numbers");
    try {
      const costs = await getJson(`/api/costs?day=${boot.days[boot.days.length - 1]}`);
      const total = costs.costUsd.reduce((a, b) => a + b, 0);
      const figure = (value, label) => el("div", "figure", el("strong", null, value), el("span", null, label));
      box.append(
        figure(dollars(total), "est. 14 days"),
        figure(`${Math.round(costs.cacheHitShare * 100)} %`, "of prompt tokens from cache"),
        figure(costs.budgetLeft === null ? "no limit" : numbers.format(costs.budgetLeft), costs.budgetLeft === null ? "daily budget" : `tokens left today of ${numbers.format(costs.budget)}`),
      );
      if (costs.unpriced.length) box.append(el("p", "muted", `No price for ${costs.unpriced.join(", ")} (review.prices).`));
      await loadChartLibrary();
      drawChart(costs);
    } catch (error) {
      box.append(el("p", "bad", `cost: ${error.message}`));
    }
  }

  /** uPlot is only needed below the fold: loaded after the timeline has painted. */
  function loadChartLibrary() {
    if (window.uPlot) return Promise.resolve();
    const style = el("link");
    style.rel = "stylesheet";
    style.href = "/assets/uPlot.css";
    document.head.append(style);
    return new Promise((resolve, reject) => {
      const script = el("script");
      script.src = "/assets/uPlot.js";
      script.onload = resolve;
      script.onerror = () => reject(new Error("the chart library did not load"));
      document.head.append(script);
    });
  }

  function drawChart(costs) {
    const parts = [
      ["output", costs.output, "#b5486b"],
      ["cache read", costs.cacheRead, "#5b9a68"],
      ["cache write", costs.cacheWrite, "#d39b3a"],
      ["input", costs.input, "#4f79b8"],
    ];
    // Stacked bars: each series is drawn at its cumulative height, the tallest first.
    const cumulative = [];
    let running = costs.days.map(() => 0);
    for (const [, values] of parts.slice().reverse()) {
      running = running.map((sum, index) => sum + values[index]);
      cumulative.unshift(running);
    }
    const x = costs.days.map((day) => Date.parse(`${day}T12:00:00Z`) / 1000);
    const bars = window.uPlot.paths.bars({ size: [0.7, 40] });
    const chart = document.querySelector("#costs .chart");
    const width = Math.min(chart.clientWidth || 760, 900);
    new window.uPlot(
      {
        width,
        height: 240,
        tzDate: (ts) => window.uPlot.tzDate(new Date(ts * 1000), "UTC"),
        // Half a day of room on each side, so the first and last bars are whole.
        scales: { x: { time: true, range: (u, min, max) => [min - 43200, max + 43200] } },
        axes: [{}, { values: (u, ticks) => ticks.map((value) => (value >= 1e6 ? `${value / 1e6}M` : value >= 1e3 ? `${value / 1e3}k` : value)), size: 56 }],
        series: [
          { label: "day", value: (u, ts) => (ts === null ? "" : new Date(ts * 1000).toISOString().slice(0, 10)) },
          ...parts.map(([label, values, color]) => ({
            label,
            fill: color,
            stroke: color,
            width: 0,
            paths: bars,
            points: { show: false },
            value: (u, v, series, i) => (i === null || i === undefined ? "" : numbers.format(values[i])),
          })),
        ],
        legend: { live: true },
      },
      [x, ...cumulative],
      chart,
    );
    const table = el("table", "cost-table", el("tr", null, el("th", null, "day"), el("th", null, "tokens"), el("th", null, "est. US$")));
    costs.days.forEach((day, index) => {
      const tokens = costs.input[index] + costs.cacheWrite[index] + costs.cacheRead[index] + costs.output[index];
      if (tokens) table.append(el("tr", null, el("td", null, day), el("td", null, numbers.format(tokens)), el("td", null, dollars(costs.costUsd[index]))));
    });
    chart.after(table);
  }

  // ---- memory, search, chain ---------------------------------------------------------------------

  async function renderMemory() {
    const body = document.querySelector("#memory .body");
    try {
      const memory = await getJson("/api/memory");
      if (!memory.dream) {
        body.append(el("p", "muted", memory.latest ? `No dream has changed the memory yet (version ${memory.latest.version}: ${memory.latest.reason}).` : "No memory versions yet."));
        return;
      }
      const { dream } = memory;
      body.append(el("p", null, `The last dream made version ${dream.version} on ${dream.ts.replace("T", " ").slice(0, 16)} UTC.`));
      body.append(renderDetail(dream.patch || "(no file changed)", "diff"));
      if (dream.before !== null) {
        const revert = el("button", "deny", `Revert to version ${dream.before} (before this dream)`);
        revert.type = "button";
        const outcome = el("span", "outcome");
        revert.addEventListener("click", async () => {
          revert.disabled = true;
          try {
            const result = await postJson("/api/memory/revert", { version: dream.before });
            outcome.textContent = ` Reverted: memory is at version ${result.to} again.`;
          } catch (error) {
            outcome.textContent = ` ${error.message}`;
            revert.disabled = false;
          }
        });
        body.append(el("p", null, revert, outcome));
      }
    } catch (error) {
      body.append(el("p", "bad", `memory: ${error.message}`));
    }
  }

  /** «» mark the matched words in a snippet; they become <mark> without parsing any HTML. */
  function renderSnippet(text) {
    const span = el("span", "snippet");
    text.split(/(«[^»]*»)/).forEach((part) => span.append(part.startsWith("«") ? el("mark", null, part.slice(1, -1)) : part));
    return span;
  }

  function setUpSearch() {
    const form = document.getElementById("search-form");
    const results = document.querySelector("#search .results");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const query = document.getElementById("search-query").value.trim();
      results.replaceChildren(el("li", "muted", "searching…"));
      try {
        const { hits } = await getJson(`/api/search?q=${encodeURIComponent(query)}`);
        results.replaceChildren();
        if (!hits.length) results.append(el("li", "muted", `Nothing found for “${query}”.`));
        for (const hit of hits) {
          const ref = hit.source === "journal" ? el("a", "seq", `#${hit.ref}`) : el("span", "seq", `turn ${hit.ref.slice(0, 8)}`);
          if (hit.source === "journal") ref.href = `/?day=${hit.day}#seq-${hit.ref}`;
          results.append(el("li", "hit", el("span", "muted", hit.day), " ", ref, " ", renderSnippet(hit.snippet)));
        }
      } catch (error) {
        results.replaceChildren(el("li", "bad", error.message));
      }
    });
  }

  async function renderChain() {
    const body = document.querySelector("#chain .body");
    try {
      const chain = await getJson("/api/chain");
      body.replaceChildren(
        chain.ok
          ? el("p", "good", `✓ intact: ${numbers.format(chain.rows)} rows, verified through #${chain.lastVerifiedSeq} at ${chain.checkedAt.slice(11, 19)} UTC (vigil log verify).`)
          : el("p", "bad", `✗ broken at #${chain.seq}: ${chain.reason}. Rows up to #${chain.lastVerifiedSeq} verify.`),
      );
    } catch (error) {
      body.replaceChildren(el("p", "bad", `chain: ${error.message}`));
    }
  }

  renderApprovals();
  window.addEventListener("hashchange", revealHash);
  // The first paint is the timeline; the rest of the page comes after all of it is in.
  renderTimeline(() => {
    performance.mark("vigil:timeline-complete");
    document.body.dataset.ready = "timeline";
    setUpSearch();
    void Promise.all([renderCosts(), renderMemory(), renderChain()]).then(() => (document.body.dataset.ready = "all"));
  });
})();
