// The review page, part 2 of 3: the timeline (see review-kit.js).


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
