// govdisclose serve: the browser page.  Plain script, no library, no build step.
// Escaping by construction: every text from the API is set with textContent or as an
// attribute value through the DOM; nothing is ever parsed as HTML (no innerHTML).
"use strict";

const WORDS = {
  zh: {
    title: "政府信息公开期限计算", rulebook: "规则集", tab_evaluate: "评估申请",
    tab_limits: "时限与出处", tab_calendar: "工作日日历", req_id: "申请编号",
    received: "收到申请之日", channel: "申请渠道", as_of: "截至日期", events: "办理过程中的事件",
    add_event: "添加事件", facts: "查明的事实", submit: "计算期限", result: "结果",
    status: "状态", limit: "时限", period: "期间", due: "届满日", reply: "答复",
    violations: "问题", steps: "流程", trace: "计算过程", workflow: "流程图",
    relation: "与上位法关系", sources: "出处", review_notes: "待法律审核的解读", month: "月份",
    legend_holiday: "放假", legend_makeup: "调休上班", remove: "删除", none: "无",
    undetermined: "待定", review: "待法律审核", notice: "告知", reply_type: "答复类型",
    not_yet: "尚未答复", on_day: "日期", provisional: "（临时结果）", lang: "English",
    weekdays: ["一", "二", "三", "四", "五", "六", "日"], rest: "休", work: "班",
    working_days: "个工作日", calendar_days: "日", hours: "小时", up_to: "（最长）",
    problems: "输入有误：",
  },
  en: {
    title: "Government information disclosure deadlines", rulebook: "Rulebook",
    tab_evaluate: "Evaluate a request", tab_limits: "Limits and sources",
    tab_calendar: "Working-day calendar", req_id: "Request id", received: "Received on",
    channel: "Channel", as_of: "As of", events: "Events while handling", add_event: "Add event",
    facts: "Facts established", submit: "Compute deadlines", result: "Result",
    status: "Status", limit: "Limit", period: "Period", due: "Due", reply: "Reply",
    violations: "Problems", steps: "Steps", trace: "How it was counted", workflow: "Workflow",
    relation: "Against higher law", sources: "Sources", review_notes: "Readings marked for legal review",
    month: "Month", legend_holiday: "day off", legend_makeup: "make-up working day",
    remove: "Remove", none: "none", undetermined: "undetermined", review: "legal review",
    notice: "Notice", reply_type: "reply type", not_yet: "not yet answered", on_day: "date",
    provisional: " (provisional)", lang: "中文",
    weekdays: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"], rest: "off", work: "work",
    working_days: " working days", calendar_days: " calendar days", hours: " hours",
    up_to: " (at most)", problems: "Invalid input:",
  },
};

const state = { lang: "zh", book: null, outcome: null, month: null };
const $ = (id) => document.getElementById(id);
const w = (key) => WORDS[state.lang][key];
const zhEn = (zh, en) => (state.lang === "en" && en ? en : zh);

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

async function getJson(url, options) {
  const response = await fetch(url, options);
  const body = await response.json();
  if (!response.ok) {
    const error = new Error(zhEn(body.message_zh, body.message_en));
    error.body = body;
    throw error;
  }
  return body;
}

function applyWords() {
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  for (const node of document.querySelectorAll("[data-i18n]")) {
    node.textContent = w(node.dataset.i18n);
  }
  $("lang").textContent = w("lang");
  document.title = "govdisclose — " + w("title");
}

function period(d) {
  return String(d.amount) + w(d.unit) + (d.up_to ? w("up_to") : "");
}

// -- the form ------------------------------------------------------------------------------

function option(select, value, label) {
  const node = el("option", label);
  node.value = value;
  select.appendChild(node);
  return node;
}

function fillChannels() {
  const select = $("channel");
  const chosen = select.value || "in_person";
  clear(select);
  for (const c of state.book.channels) option(select, c.key, zhEn(c.label, c.label_en));
  select.value = chosen;
}

function addEvent(type, on, reply) {
  const row = el("div", null, "event-row");
  const kind = el("select");
  kind.className = "event-type";
  for (const e of state.book.events) option(kind, e.key, zhEn(e.label, e.label_en));
  kind.value = type || "replied";
  const day = el("input");
  day.type = "date";
  day.className = "event-on";
  day.required = true;
  day.value = on || "";
  const replySelect = el("select");
  replySelect.className = "event-reply";
  option(replySelect, "", "—");
  for (const r of state.book.replies) option(replySelect, r.key, zhEn(r.label, r.label_en));
  replySelect.value = reply || "";
  const showReply = () => { replySelect.hidden = kind.value !== "replied"; };
  kind.addEventListener("change", showReply);
  showReply();
  const remove = el("button", w("remove"));
  remove.type = "button";
  remove.addEventListener("click", () => row.remove());
  row.append(kind, day, replySelect, remove);
  $("event-rows").appendChild(row);
}

function fillFacts() {
  const box = $("fact-list");
  const checked = new Set([...box.querySelectorAll("input:checked")].map((i) => i.value));
  clear(box);
  for (const f of state.book.facts) {
    if (f.type === "boolean") {
      const label = el("label");
      const input = el("input");
      input.type = "checkbox";
      input.className = "fact";
      input.value = f.name;
      input.checked = checked.has(f.name);
      label.append(input, document.createTextNode(" " + zhEn(f.label, f.label_en)));
      box.appendChild(label);
    } else if (f.type === "list" && f.name === "exemption_grounds") {
      for (const g of state.book.exemptions) {
        const label = el("label");
        const input = el("input");
        input.type = "checkbox";
        input.className = "ground";
        input.value = "ground:" + g.key;
        input.dataset.ground = g.key;
        input.checked = checked.has(input.value);
        label.append(input, document.createTextNode(" " + zhEn(g.label, g.label_en)));
        box.appendChild(label);
      }
    }
  }
}

function requestBody() {
  const body = { id: $("req-id").value, received_on: $("received").value,
                 channel: $("channel").value, events: [], facts: {} };
  for (const row of $("event-rows").children) {
    const event = { type: row.querySelector(".event-type").value,
                    on: row.querySelector(".event-on").value };
    const reply = row.querySelector(".event-reply").value;
    if (event.type === "replied" && reply) event.reply = reply;
    body.events.push(event);
  }
  // A checked box states the fact; an unchecked one states nothing (the rulebook's own
  // default applies), as a request file that leaves the fact out.
  for (const input of $("fact-list").querySelectorAll("input.fact:checked")) {
    body.facts[input.value] = true;
  }
  const grounds = [...$("fact-list").querySelectorAll("input.ground:checked")]
    .map((i) => i.dataset.ground);
  if (grounds.length) body.facts.exemption_grounds = grounds;
  return body;
}

async function submit(event) {
  event.preventDefault();
  clear($("problems"));
  const url = "/v1/rulebooks/" + encodeURIComponent(state.book.id) + "/evaluate?as_of=" +
    encodeURIComponent($("as-of").value);
  try {
    state.outcome = await getJson(url, { method: "POST", body: JSON.stringify(requestBody()),
                                         headers: { "content-type": "application/json" } });
    showOutcome();
  } catch (error) {
    $("result").hidden = true;
    showProblems(error);
  }
}

function showProblems(error) {
  const box = $("problems");
  clear(box);
  box.appendChild(el("p", w("problems") + " " + error.message));
  const list = el("ul");
  for (const p of (error.body && error.body.problems) || []) {
    list.appendChild(el("li", p.path + ": " + zhEn(p.message_zh, p.message_en)));
  }
  box.appendChild(list);
}

// -- the result ----------------------------------------------------------------------------

function stateLabel(key) {
  const found = state.book.states.find((s) => s.key === key);
  return found ? zhEn(found.label, found.label_en) : key;
}

function showOutcome() {
  const o = state.outcome;
  if (!o) return;
  $("result").hidden = false;
  $("status").textContent = stateLabel(o.status.state) + (o.provisional ? w("provisional") : "");
  const body = $("deadlines").tBodies[0];
  clear(body);
  for (const [key, d] of Object.entries(o.deadlines)) {
    const tr = el("tr");
    tr.dataset.limit = key;
    const limit = state.book.limits[key];
    tr.append(el("td", limit ? zhEn(limit.label, limit.label_en) + " (" + key + ")" : key),
              el("td", period(d)),
              el("td", (d.due || w("undetermined")) + (d.provisional ? w("provisional") : ""),
                 "due"));
    body.appendChild(tr);
  }
  const reply = $("reply");
  clear(reply);
  if (o.reply) {
    reply.appendChild(el("p", zhEn(o.reply.label, o.reply.label_en), "reply-label"));
    if (o.reply.notice) reply.appendChild(el("p", w("notice") + "：" + o.reply.notice, "notice"));
    const contents = el("ul");
    for (const line of o.reply.contents || []) contents.appendChild(el("li", line));
    reply.appendChild(contents);
  } else {
    reply.appendChild(el("p", w("not_yet")));
  }
  const violations = $("violations");
  clear(violations);
  for (const v of o.violations) {
    violations.appendChild(el("li", zhEn(v.message_zh, v.message_en), "violation"));
  }
  if (!o.violations.length) violations.appendChild(el("li", w("none")));
  const steps = $("steps");
  clear(steps);
  for (const s of o.steps) {
    steps.appendChild(el("li", zhEn(s.label, s.label_en) + (s.due ? " → " + s.due : "")));
  }
  const trace = $("trace");
  clear(trace);
  const outer = el("ul");
  for (const t of o.trace) outer.appendChild(el("li", zhEn(t.zh, t.en)));
  trace.appendChild(outer);
  for (const [key, d] of Object.entries(o.deadlines)) {
    trace.appendChild(el("h4", key));
    const list = el("ol");
    for (const t of d.trace) {
      const li = el("li", zhEn(t.zh, t.en));
      if (t.basis) li.appendChild(el("small", " — " + t.basis));
      list.appendChild(li);
    }
    trace.appendChild(list);
  }
}

// -- the rulebook's limits -----------------------------------------------------------------

function citation(c) {
  const li = el("li", c.text);
  if (c.quote) li.appendChild(el("q", c.quote));
  if (c.review) li.appendChild(el("span", " ⚠ " + w("review") + ": " + c.review, "review"));
  return li;
}

function showLimits() {
  const body = $("limit-table").tBodies[0];
  clear(body);
  for (const [key, l] of Object.entries(state.book.limits)) {
    const tr = el("tr");
    const sources = el("ul");
    for (const c of l.sources) sources.appendChild(citation(c));
    const cell = el("td");
    cell.appendChild(sources);
    tr.append(el("td", zhEn(l.label, l.label_en) + " (" + key + ")"), el("td", period(l)),
              el("td", l.relation + (l.note ? " — " + zhEn(l.note.zh, l.note.en) : "")), cell);
    body.appendChild(tr);
  }
  const notes = $("review-notes");
  clear(notes);
  for (const n of state.book.review_notes) {
    const li = el("li");
    li.append(el("strong", n.topic), el("p", n.reading));
    notes.appendChild(li);
  }
  if (!state.book.review_notes.length) notes.appendChild(el("li", w("none")));
}

// -- the calendar --------------------------------------------------------------------------

async function showMonth() {
  const month = $("month").value;
  if (!month) return;
  const body = $("month-grid").tBodies[0];
  try {
    state.month = await getJson("/v1/calendar?month=" + encodeURIComponent(month) +
                                "&provisional=true");
  } catch (error) {
    clear(body);
    body.appendChild(el("tr")).appendChild(el("td", error.message));
    return;
  }
  drawMonth();
}

function drawMonth() {
  const head = $("month-grid").tHead.rows[0];
  clear(head);
  for (const day of w("weekdays")) head.appendChild(el("th", day));
  const body = $("month-grid").tBodies[0];
  clear(body);
  if (!state.month) return;
  let row = el("tr");
  for (let i = 1; i < state.month.days[0].weekday; i += 1) row.appendChild(el("td"));
  for (const d of state.month.days) {
    const td = el("td", d.date.slice(8), "day " + d.kind + (d.provisional ? " provisional" : ""));
    td.dataset.date = d.date;
    const mark = d.kind === "holiday" ? w("rest") : d.kind === "makeup_workday" ? w("work") : "";
    if (mark || d.name_zh) td.appendChild(el("small", mark + " " + (zhEn(d.name_zh, d.name_en) || "")));
    row.appendChild(td);
    if (d.weekday === 7) {
      body.appendChild(row);
      row = el("tr");
    }
  }
  if (row.children.length) body.appendChild(row);
}

// -- wiring --------------------------------------------------------------------------------

async function pickBook() {
  const id = $("rulebook").value;
  state.book = await getJson("/v1/rulebooks/" + encodeURIComponent(id));
  state.outcome = null;
  $("result").hidden = true;
  $("book-on").textContent = state.book.on;
  fillChannels();
  fillFacts();
  clear($("event-rows"));
  showLimits();
  const kind = state.book.workflows.includes("request") ? "request" : state.book.workflows[0];
  $("workflow").src = "/v1/rulebooks/" + encodeURIComponent(id) + "/workflow.svg?kind=" + kind;
  document.body.dataset.ready = id;
}

function showTab(name) {
  for (const panel of document.querySelectorAll(".panel")) panel.hidden = panel.id !== name;
  for (const tab of document.querySelectorAll(".tab")) {
    tab.setAttribute("aria-selected", String(tab.dataset.tab === name));
  }
}

function toggleLanguage() {
  state.lang = state.lang === "zh" ? "en" : "zh";
  applyWords();
  const books = $("rulebook");
  for (const o of books.options) o.textContent = zhEn(o.dataset.zh, o.dataset.en) + " (" + o.value + ")";
  if (!state.book) return;
  fillChannels();
  fillFacts();
  showLimits();
  showOutcome();
  drawMonth();
}

async function start() {
  applyWords();
  const list = await getJson("/v1/rulebooks");
  const books = $("rulebook");
  for (const b of list.rulebooks) {
    const o = option(books, b.id, b.name + " (" + b.id + ")");
    o.dataset.zh = b.name;
    o.dataset.en = b.name_en || b.name;
  }
  books.value = list.rulebooks.some((b) => b.id === "national") ? "national" : books.options[0].value;
  books.addEventListener("change", pickBook);
  $("lang").addEventListener("click", toggleLanguage);
  $("add-event").addEventListener("click", () => addEvent());
  $("request-form").addEventListener("submit", submit);
  $("month").addEventListener("change", showMonth);
  for (const tab of document.querySelectorAll(".tab")) {
    tab.addEventListener("click", () => showTab(tab.dataset.tab));
  }
  const today = new Date().toISOString().slice(0, 10);
  $("as-of").value = today;
  $("month").value = today.slice(0, 7);
  showTab("evaluate");
  await pickBook();
  await showMonth();
}

document.addEventListener("DOMContentLoaded", () => {
  start().catch((error) => showProblems(error));
});
