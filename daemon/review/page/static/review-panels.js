// The review page, part 3 of 3: what waits, cost, memory, search, chain, and the start (see review-kit.js).


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
