// The review page, part 1 of 3: what the other parts share. Plain JavaScript, no build step: the
// daemon joins review-kit.js, review-timeline.js and review-panels.js, as they are, into one inline
// script inside a strict-mode function (allowed by its hash in the CSP).
// Journal text is outside content: it only ever reaches the DOM as text (textContent), never as HTML.
/* exported el, getJson, postJson, dollars, renderDetail, boot, csrf, numbers */

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
