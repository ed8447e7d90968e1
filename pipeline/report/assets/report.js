/* aptag report: draws every table from the JSON data block. Document text only ever reaches the
   page as text nodes (textContent / append of strings), never as HTML. */
(function () {
  "use strict";
  const D = JSON.parse(document.getElementById("aptag-data").textContent);
  const META = D.meta, DIMS = D.dims, LEVELS = META.levels, LEAF = LEVELS[LEVELS.length - 1];
  const UNDATED = DIMS.undated ? DIMS.period.length - 1 : -1;
  const LAST_DATED = DIMS.undated ? DIMS.period.length - 2 : DIMS.period.length - 1;
  const DIM_KEY = { country: "c", doc_type: "t", period: "p" };

  // The cube travels as small integers (pipeline/report/data.py _encode); expand each level once
  // into the columns the aggregation reads: c, t, p, n, d, s (score sum), u, r, f, l (days).
  function decodeCube(cb) {
    const len = cb.n.length, sl = D.slices, start = DIMS.period_start;
    const dense = (col) => {
      if (Array.isArray(col)) return col;
      const a = new Array(len).fill(0);
      col.i.forEach((row, j) => { a[row] = col.v[j]; });
      return a;
    };
    const dd = dense(cb.dd), lf = dense(cb.lf), f0 = cb.f;
    cb.u = dense(cb.u); cb.r = dense(cb.r);
    cb.c = new Array(len); cb.t = new Array(len); cb.p = new Array(len);
    cb.d = new Array(len); cb.s = new Array(len); cb.f = new Array(len); cb.l = new Array(len);
    for (let i = 0; i < len; i++) {
      const k = cb.k[i];
      cb.c[i] = sl.c[k]; cb.t[i] = sl.t[k]; cb.p[i] = sl.p[k];
      cb.d[i] = cb.n[i] - dd[i];
      cb.s[i] = (cb.m[i] / 100) * (cb.n[i] - cb.u[i]);
      cb.f[i] = f0[i] < 0 ? null : start[cb.p[i]] + f0[i];
      cb.l[i] = cb.f[i] === null ? null : cb.f[i] + lf[i];
    }
  }
  Object.values(D.cube).forEach(decodeCube);

  const NODES = D.nodes.map((n, i) => ({ i, id: n[0], level: n[1], title: n[2], text: n[3], parent: n[4], kids: [], leaves: [] }));
  NODES.forEach((n) => { if (n.parent >= 0) NODES[n.parent].kids.push(n.i); });
  const ROOTS = NODES.filter((n) => n.parent < 0);
  NODES.filter((n) => n.level === LEAF).forEach((leaf) => {
    for (let p = leaf.i; p >= 0; p = NODES[p].parent) NODES[p].leaves.push(leaf.i);
  });
  const ITEMS = NODES.filter((n) => n.level === LEAF);
  const depthOf = (n) => LEVELS.indexOf(n.level);

  const ACTORS = ["eu", "partner", "civil_society", "international", "none"];
  const ACTOR_LABEL = { eu: "EU", partner: "partner", civil_society: "civil society", international: "international", none: "no speaker" };
  const S = { c: -1, t: -1, from: -1, to: -1, actor: -1, cols: "country", all: false, folded: new Set(), item: -1, cell: null };

  // ---- small DOM helpers -------------------------------------------------------------------
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const kid of kids.flat()) {
      if (kid === null || kid === undefined || kid === false) continue;
      e.append(kid instanceof Node ? kid : String(kid));
    }
    return e;
  }
  const $ = (id) => document.getElementById(id);
  const fmtDay = (d) => (d === null || d === undefined ? "—" : new Date(d * 86400000).toISOString().slice(0, 10));
  const fmtInt = (n) => n.toLocaleString("en-GB");
  const pct = (x) => (x * 100).toFixed(x >= 0.1 || x === 0 ? 0 : 1) + "%";
  const label = (dim, v) => (v < 0 ? "all" : DIMS[dim][v]);
  const plural = (n, one, many) => `${fmtInt(n)} ${n === 1 ? one : many || one + "s"}`;

  // ---- filtering and aggregation -----------------------------------------------------------
  function currentFilter(extra) {
    const f = { c: S.c, t: S.t, lo: -1, hi: -1 };
    if (S.from >= 0 || S.to >= 0) {
      f.lo = S.from >= 0 ? S.from : 0;
      f.hi = S.to >= 0 ? S.to : LAST_DATED;
    }
    if (extra) {
      if (extra.dim === "country") f.c = extra.v;
      else if (extra.dim === "doc_type") f.t = extra.v;
      else if (extra.dim === "period") { f.lo = extra.v; f.hi = extra.v; f.undated = extra.v === UNDATED; }
    }
    return f;
  }
  function passes(c, t, p, f) {
    if (f.c >= 0 && c !== f.c) return false;
    if (f.t >= 0 && t !== f.t) return false;
    if (f.lo >= 0 && !(p >= f.lo && p <= f.hi && (p !== UNDATED || f.undated))) return false;
    return true;
  }
  const isFiltered = () => S.c >= 0 || S.t >= 0 || S.from >= 0 || S.to >= 0;

  function aggregate(key, f) {
    const cb = D.cube[key], out = new Map();
    for (let k = 0; k < cb.n.length; k++) {
      if (!passes(cb.c[k], cb.t[k], cb.p[k], f)) continue;
      let a = out.get(cb.node[k]);
      if (!a) { a = { n: 0, d: 0, s: 0, u: 0, r: 0, f: null, l: null, cs: new Set() }; out.set(cb.node[k], a); }
      a.n += cb.n[k]; a.d += cb.d[k]; a.s += cb.s[k]; a.u += cb.u[k]; a.r += cb.r[k];
      if (cb.n[k] > 0) a.cs.add(cb.c[k]);
      if (cb.f[k] !== null && (a.f === null || cb.f[k] < a.f)) a.f = cb.f[k];
      if (cb.l[k] !== null && (a.l === null || cb.l[k] > a.l)) a.l = cb.l[k];
    }
    return out;
  }
  const EMPTY = { n: 0, d: 0, s: 0, u: 0, r: 0, f: null, l: null, cs: new Set() };
  const get = (m, i) => m.get(i) || EMPTY;
  const meanScore = (a) => (a.n - a.u > 0 ? (a.s / (a.n - a.u)).toFixed(2) : "—");

  function previousFilter(f) {
    if (f.lo < 0 || f.undated) return null;
    const len = f.hi - f.lo + 1, hi = f.lo - 1;
    if (hi < 0) return null;
    return Object.assign({}, f, { lo: Math.max(0, f.lo - len), hi });
  }

  function compute() {
    const f = currentFilter(null);
    const byLevel = {};
    for (const lv of LEVELS) byLevel[lv] = aggregate(lv, f);
    const all = get(aggregate("*", f), -1);
    const pf = previousFilter(f);
    const prev = {};
    if (pf) for (const lv of LEVELS) prev[lv] = aggregate(lv, pf);
    let docs = 0, passages = 0;
    const sl = D.slices;
    for (let k = 0; k < sl.c.length; k++) {
      if (passes(sl.c[k], sl.t[k], sl.p[k], f)) { docs += sl.documents[k]; passages += sl.passages[k]; }
    }
    return { f, byLevel, all, prev: pf ? prev : null, docs, passages };
  }
  const GLOBAL = aggregate(LEAF, currentFilter(null));

  // ---- filters -------------------------------------------------------------------------------
  function fillSelect(sel, allLabel, values) {
    sel.replaceChildren(el("option", { value: "-1", text: allLabel }),
      ...values.map(([v, text]) => el("option", { value: String(v), text })));
  }
  function setupFilters() {
    const docsBy = (key) => {
      const n = new Map();
      D.slices[key].forEach((v, k) => n.set(v, (n.get(v) || 0) + D.slices.documents[k]));
      return n;
    };
    const cn = docsBy("c"), tn = docsBy("t");
    fillSelect($("f-country"), "All countries", DIMS.country.map((c, i) => [i, `${c} (${cn.get(i) || 0} docs)`]));
    fillSelect($("f-type"), "All types", DIMS.doc_type.map((t, i) => [i, `${t} (${tn.get(i) || 0} docs)`]));
    const periods = DIMS.period.map((p, i) => [i, p]).filter(([i]) => i !== UNDATED);
    fillSelect($("f-from"), "earliest", periods);
    fillSelect($("f-to"), "latest", periods);
    const bind = (id, key) => $(id).addEventListener("change", (e) => { S[key] = Number(e.target.value); S.cell = null; render(); });
    fillSelect($("f-actor"), "anyone", ACTORS.map((a, i) => [i, ACTOR_LABEL[a]]));
    bind("f-country", "c"); bind("f-type", "t"); bind("f-from", "from"); bind("f-to", "to"); bind("f-actor", "actor");
    $("f-reset").addEventListener("click", () => {
      Object.assign(S, { c: -1, t: -1, from: -1, to: -1, actor: -1, cell: null });
      ["f-country", "f-type", "f-from", "f-to", "f-actor"].forEach((id) => { $(id).value = "-1"; });
      render();
    });
    $("f-print").addEventListener("click", () => window.print());
    $("hm-cols").addEventListener("change", (e) => { S.cols = e.target.value; renderHeatmap(compute()); });
    $("hm-all").addEventListener("click", () => { S.all = !S.all; renderHeatmap(compute()); });
    $("hm-expand").addEventListener("click", () => { S.folded.clear(); renderHeatmap(compute()); });
    $("hm-collapse").addEventListener("click", () => {
      NODES.forEach((n) => { if (n.level !== LEAF && n.level !== LEVELS[0]) S.folded.add(n.i); });
      if (LEVELS.length === 2) ROOTS.forEach((n) => S.folded.add(n.i));
      renderHeatmap(compute());
    });
  }
  function filterText() {
    const f = currentFilter(null);
    const parts = [`Country: ${label("country", S.c)}`, `Document type: ${label("doc_type", S.t)}`];
    parts.push(f.lo >= 0 ? `Periods: ${DIMS.period[f.lo]} to ${DIMS.period[f.hi]}` : "Periods: all");
    return "Filters — " + parts.join(" · ");
  }

  // ---- summary -------------------------------------------------------------------------------
  function renderSummary(R) {
    const covered = ITEMS.filter((n) => get(R.byLevel[LEAF], n.i).n > 0).length;
    const none = ITEMS.filter((n) => get(GLOBAL, n.i).n === 0).length;
    const inSel = ITEMS.filter((n) => get(GLOBAL, n.i).n > 0 && get(R.byLevel[LEAF], n.i).n === 0).length;
    const card = (v, k, bad, id) => el("div", { class: "card" + (bad ? " bad" : ""), id }, el("div", { class: "v", text: v }), el("div", { class: "k", text: k }));
    $("summary").replaceChildren(
      card(fmtInt(R.docs), "documents", false, "sum-docs"),
      card(fmtInt(R.passages), "passages", false, "sum-passages"),
      card(fmtInt(R.all.n), "passages with evidence", false, "sum-tagged"),
      card(`${covered} / ${ITEMS.length}`, `${LEAF}s covered`, false, "sum-covered"),
      card(String(none + inSel), isFiltered() ? `gaps (${none} with no evidence at all, ${inSel} only elsewhere)` : `${LEAF}s with no evidence`, none + inSel > 0, "sum-gaps"),
      card(fmtInt(R.all.r), "passages with tags to review", false, "sum-review"),
    );
    $("print-filters").textContent = filterText();
  }

  // ---- heatmap -------------------------------------------------------------------------------
  function columns(R) {
    const dim = S.cols, key = DIM_KEY[dim], f = R.f;
    const weight = new Map();
    const cb = D.cube["*"];
    for (let k = 0; k < cb.n.length; k++) {
      if (passes(cb.c[k], cb.t[k], cb.p[k], f)) weight.set(cb[key][k], (weight.get(cb[key][k]) || 0) + cb.n[k]);
    }
    const sl = D.slices;
    for (let k = 0; k < sl.c.length; k++) if (passes(sl.c[k], sl.t[k], sl.p[k], f) && !weight.has(sl[key][k])) weight.set(sl[key][k], 0);
    let cols = [...weight.keys()];
    if (dim === "period") cols.sort((a, b) => a - b);
    else cols.sort((a, b) => weight.get(b) - weight.get(a) || a - b);
    return cols;
  }
  function color(v, max) {
    if (!v) return null;
    const x = Math.log1p(v) / Math.log1p(Math.max(max, 1));
    const light = 93 - 60 * x;
    return [`hsl(219, 70%, ${light.toFixed(0)}%)`, light < 58 ? "#fff" : "#1d2433"];
  }
  function renderHeatmap(R) {
    const dim = S.cols, key = DIM_KEY[dim], f = R.f, limit = META.heatmap_columns;
    const cols = columns(R);
    const shown = S.all ? cols : cols.slice(0, limit);
    const pos = new Map(shown.map((v, j) => [v, j]));
    const cells = new Map();
    let max = 0;
    for (const lv of LEVELS) {
      const cb = D.cube[lv];
      for (let k = 0; k < cb.n.length; k++) {
        if (!cb.n[k] || !passes(cb.c[k], cb.t[k], cb.p[k], f)) continue;
        const j = pos.get(cb[key][k]);
        if (j === undefined) continue;
        const id = cb.node[k] * shown.length + j;
        const v = (cells.get(id) || 0) + cb.n[k];
        cells.set(id, v);
        if (lv === LEAF && v > max) max = v;
      }
    }
    $("hm-all").textContent = cols.length > limit ? (S.all ? `Show top ${limit} columns` : `Show all ${cols.length} columns`) : "";
    $("hm-all").hidden = cols.length <= limit;
    const legend = [el("span", { text: "0" }), el("i", { style: "background:#fff" })];
    for (const v of [1, Math.max(2, Math.round(max / 4)), Math.max(3, Math.round(max / 2)), max]) {
      if (v > max && v > 1) continue;
      const c = color(v, max);
      legend.push(el("i", { style: `background:${c ? c[0] : "#fff"}`, title: String(v) }));
    }
    legend.push(el("span", { text: ` ${max} passages` }));
    $("hm-legend").replaceChildren(...legend);

    const head = el("tr", null, el("th", { class: "rowh", text: `${LEAF} \\ ${dim.replace("_", " ")}` }),
      el("th", { class: "col total" }, el("span", { text: "all" })),
      shown.map((v, j) => el("th", { class: "col" + (j >= limit ? " extra-col" : ""), title: DIMS[dim][v] }, el("span", { text: DIMS[dim][v] }))));
    const body = [];
    const walk = (n) => {
      const a = get(R.byLevel[n.level], n.i);
      const isLeaf = n.level === LEAF;
      const depth = depthOf(n);
      const cls = isLeaf ? "item" + (a.n === 0 ? " gap" : "") + (S.item === n.i ? " open" : "")
        : (depth === 0 && LEVELS.length > 2 ? "line" : "section") + (S.folded.has(n.i) ? " folded" : "");
      const name = n.title || n.text;
      const rowh = el("th", {
        class: "rowh", title: `${n.id} ${name}`, "data-id": n.id,
        onclick: () => (isLeaf ? openDrill(n.i, null) : toggle(n.i)),
      }, el("span", { class: "id", text: n.id }), name);
      const tds = shown.map((v, j) => {
        const val = cells.get(n.i * shown.length + j) || 0;
        const c = color(val, max);
        return el("td", {
          class: j >= limit ? "extra-col" : null,
          style: c ? `background:${c[0]};color:${c[1]}` : null,
          title: `${n.id} × ${DIMS[dim][v]}: ${val} passages`,
          onclick: isLeaf ? () => openDrill(n.i, { dim, v }) : null,
        }, val ? String(val) : "");
      });
      body.push(el("tr", { class: cls, "data-node": n.id }, rowh, el("td", { class: "total", text: a.n ? String(a.n) : "" }), tds));
      const hide = S.folded.has(n.i) && !(depth === 0 && LEVELS.length > 2);
      if (!hide) n.kids.forEach((k) => walk(NODES[k]));
    };
    ROOTS.forEach(walk);
    $("heatmap").replaceChildren(el("thead", null, head), el("tbody", null, body));
  }
  function toggle(i) {
    if (S.folded.has(i)) S.folded.delete(i); else S.folded.add(i);
    renderHeatmap(compute());
  }

  // ---- coverage by level ---------------------------------------------------------------------
  function changeCell(R, n) {
    if (!R.prev) return el("td", { class: "num muted", text: "—" });
    const now = get(R.byLevel[n.level], n.i).n, before = get(R.prev[n.level], n.i).n, d = now - before;
    return el("td", { class: "num " + (d > 0 ? "up" : d < 0 ? "down" : ""), title: `previous period: ${before}`, text: (d > 0 ? "+" : "") + d });
  }
  function renderLevels(R) {
    const upper = LEVELS.slice(0, -1);
    $("levels-title").textContent = `Coverage by ${upper.join(" and ")}`;
    const head = el("tr", null, ["ID", upper.join(" / "), `${LEAF}s covered`, "Passages", "Documents", "Countries", "Share of tagged passages", "Mean score", "To review", "Δ vs previous"]
      .map((h, j) => el("th", { class: j >= 2 && j !== 6 ? "num" : null, text: h })));
    const rows = [];
    const walk = (n) => {
      if (n.level === LEAF) return;
      const a = get(R.byLevel[n.level], n.i);
      const covered = n.leaves.filter((i) => get(R.byLevel[LEAF], i).n > 0).length;
      const share = R.all.n ? a.n / R.all.n : 0;
      rows.push(el("tr", { class: depthOf(n) === 0 ? "lvl-top" : null, "data-node": n.id },
        el("td", { text: n.id }), el("td", { text: n.title || n.text }),
        el("td", { class: "num", text: `${covered} / ${n.leaves.length}` }),
        el("td", { class: "num", text: fmtInt(a.n) }), el("td", { class: "num", text: fmtInt(a.d) }),
        el("td", { class: "num", text: String(a.cs.size) }),
        el("td", null, el("span", { class: "bar-wrap" }, el("span", { class: "bar", style: `width:${(share * 100).toFixed(1)}%` })), pct(share)),
        el("td", { class: "num", text: meanScore(a) }), el("td", { class: "num", text: a.r ? String(a.r) : "" }),
        changeCell(R, n)));
      n.kids.forEach((k) => walk(NODES[k]));
    };
    ROOTS.forEach(walk);
    $("levels").replaceChildren(el("table", { class: "grid" }, el("thead", null, head), el("tbody", null, rows)));
  }

  // ---- gaps ----------------------------------------------------------------------------------
  function renderGaps(R) {
    const leafAgg = R.byLevel[LEAF];
    const entry = (n) => {
      const r = get(leafAgg, n.i).r;
      return el("li", { "data-node": n.id }, el("a", { onclick: () => openDrill(n.i, null) }, el("span", { class: "id", text: n.id }), n.title || n.text),
        r ? el("span", { class: "muted", text: ` (${r} to review)` }) : null);
    };
    const none = ITEMS.filter((n) => get(GLOBAL, n.i).n === 0);
    const elsewhere = ITEMS.filter((n) => get(GLOBAL, n.i).n > 0 && get(leafAgg, n.i).n === 0);
    const out = [el("h3", { text: `No evidence at all in this report (${none.length})` }),
      none.length ? el("ul", { class: "gaplist", id: "gaps-none" }, none.map(entry)) : el("p", { class: "muted", text: "None: every item has evidence." })];
    if (isFiltered()) {
      out.push(el("h3", { text: `No evidence in this selection, though present elsewhere (${elsewhere.length})` }),
        elsewhere.length ? el("ul", { class: "gaplist", id: "gaps-slice" }, elsewhere.map(entry)) : el("p", { class: "muted", text: "None." }));
    }
    $("gaps").replaceChildren(...out);
  }

  // ---- drill-down ----------------------------------------------------------------------------
  function openDrill(i, cell) {
    S.item = i; S.cell = cell;
    const R = compute();
    renderHeatmap(R);
    renderDrill(R);
    $("drill").scrollIntoView({ behavior: "auto", block: "start" });
  }
  function renderDrill(R) {
    const box = $("drill");
    if (S.item < 0) { box.hidden = true; box.replaceChildren(); return; }
    const n = NODES[S.item];
    const f = currentFilter(S.cell);
    const a = get(aggregate(LEAF, f), n.i);
    const path = [];
    for (let p = n.parent; p >= 0; p = NODES[p].parent) path.unshift(NODES[p]);
    const evidence = (D.evidence[String(n.i)] || []).filter((e) => {
      const doc = D.docs[D.passages[e[0]][0]];
      return passes(doc[2], doc[3], doc[4], f) && (S.actor < 0 || (e[6] && e[6][0] === ACTORS[S.actor]));
    });
    const said = {};
    evidence.forEach((e) => { if (e[6] && e[6].length) { const k = saidLabel(e[6]); said[k] = (said[k] || 0) + 1; } });
    const saidLine = Object.keys(said).length ? el("p", { id: "drill-said", class: "muted",
      text: "Who said the evidence shown: " + Object.entries(said).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(" · ") }) : null;
    const pf = previousFilter(f);
    const change = pf ? a.n - get(aggregate(LEAF, pf), n.i).n : null;
    const stats = `${plural(a.n, "passage")} in ${plural(a.d, "document")} from ${plural(a.cs.size, "country", "countries")}` +
      ` · first ${fmtDay(a.f)} · last ${fmtDay(a.l)} · mean score ${meanScore(a)}` + (a.r ? ` · ${a.r} to review` : "") +
      (change === null ? "" : ` · ${change > 0 ? "+" : ""}${change} vs previous period`);
    const chips = [el("span", { class: "chip", text: filterText().replace("Filters — ", "") })];
    if (S.cell) {
      chips.push(el("button", { type: "button", id: "drill-cell", title: "show every column", onclick: () => openDrill(n.i, null) },
        `${S.cell.dim.replace("_", " ")}: ${DIMS[S.cell.dim][S.cell.v]} ×`));
    }
    const cards = evidence.map((e) => evidenceCard(e, n));
    const more = a.n - evidence.length;
    const foot = el("p", { class: "more", id: "drill-more" }, `Showing ${evidence.length} of ${fmtInt(a.n)} passages with evidence in this selection.`,
      more > 0 ? ` ${fmtInt(more)} more are counted but not embedded: the report carries the best ${META.max_evidence} per ${LEAF} ` +
        "(reviewed first, then by score). For more, build a narrower report (aptag report --country C --from D --to D) or raise coverage.max_evidence." : "");
    box.replaceChildren(
      el("button", { type: "button", class: "close", id: "drill-close", onclick: () => { S.item = -1; S.cell = null; renderHeatmap(compute()); renderDrill(null); } }, "Close ×"),
      el("h2", { id: "drill-title" }, el("span", { class: "id", text: n.id }), n.title || n.text.slice(0, 120)),
      el("p", { class: "muted" }, path.map((p) => `${p.id} ${p.title}`).join(" › ")),
      n.text ? el("blockquote", { text: n.text }) : null,
      el("p", { id: "drill-stats", text: stats }),
      qualityLine(n),
      el("p", null, chips),
      saidLine,
      el("div", { id: "drill-list" }, cards.length ? cards : el("p", { class: "muted", text: "No evidence passage for this item in this selection." })),
      foot);
    box.hidden = false;
  }
  function evidenceCard(e, n) {
    const [pi, score, start, end, reviewed, terms, said] = e;
    const [di, page, text] = D.passages[pi];
    const [title, date, c, t] = D.docs[di];
    const meta = el("div", { class: "meta" }, el("b", { text: title }), ` · ${date || "undated"} · ${c >= 0 ? DIMS.country[c] : "?"} · ${t >= 0 ? DIMS.doc_type[t] : "?"}`,
      page !== null ? ` · p. ${page}` : "", score !== null ? ` · score ${score.toFixed(2)}` : "", " ",
      reviewed ? el("span", { class: "badge", text: "reviewed" }) : null,
      said && said.length ? el("span", { class: "badge said", text: saidLabel(said) }) : null);
    const body = el("div", { class: "text" });
    if (start !== null && end !== null) body.append(text.slice(0, start), el("mark", { text: text.slice(start, end) }), text.slice(end));
    else body.append(text);
    return el("div", { class: "ev", "data-passage": D.passages[pi][3] }, meta, body,
      terms && terms.length ? el("div", { class: "terms", text: "matched: " + terms.join(", ") }) : null,
      reviewControls(D.passages[pi][3], n));
  }

  // ---- quality cards and corrected counts (pipeline/quality.py) ------------------------------
  function qualityLine(n) {
    const Q = D.quality && D.quality.items[n.id];
    if (!Q) return null;
    const [rev, acc, rej, add, p, plo, phi, raw, cor, lo, hi, basis, flag] = Q;
    const parts = [`Quality: ${plural(rev, "reviewed tag")} (${acc} accepted, ${rej} rejected, ${add} added)`];
    if (p !== null) parts.push(`precision on them ${p.toFixed(2)} [${plo.toFixed(2)}–${phi.toFixed(2)}]`);
    parts.push(cor === null ? `raw count ${raw}; no corrected count (${basis})`
      : `raw count ${raw}, corrected ${cor} [${lo}–${hi}] (95%; rests on: ${basis})`);
    return el("p", { id: "drill-quality", class: flag ? "quality flagged" : "quality", title: D.quality.basis },
      parts.join(" · "), flag ? " " : "", flag ? el("span", { class: "badge warn-badge", text: flag }) : null);
  }

  // ---- review from the report: decisions kept in this browser, downloaded for `aptag review import` ----
  const RV_KEY = `aptag-review:${META.model_id}:${META.title}:${META.generated_at}`;
  const RV = (() => { try { return JSON.parse(localStorage.getItem(RV_KEY) || "{}"); } catch (err) { return {}; } })();
  const ARTICLE = /^[aeiou]/i.test(LEAF) ? "an" : "a";
  const ITEM_IDS = new Set(NODES.filter((x) => x.level === LEAF).map((x) => x.id));
  function saveReview() {
    try { localStorage.setItem(RV_KEY, JSON.stringify(RV)); } catch (err) { /* private mode: kept until the page closes */ }
    renderReviewBar();
  }
  function decide(pid, item, value) {
    const d = RV[pid] || (RV[pid] = {});
    if (value === null) delete d[item]; else d[item] = value;
    if (!Object.keys(d).length) delete RV[pid];
    saveReview();
    renderDrill(compute());
  }
  function reviewControls(pid, n) {
    const d = RV[pid] || {};
    const state = d[n.id];
    const btn = (label, cls, value) => el("button", { type: "button", class: `rv ${cls}${state === value ? " on" : ""}`,
      onclick: () => decide(pid, n.id, state === value ? null : value) }, label);
    const input = el("input", { type: "search", class: "rv-add", list: "rv-items", placeholder: `add ${ARTICLE} ${LEAF}: type an ID or words`,
      "aria-label": `add ${ARTICLE} ${LEAF} to this passage` });
    const add = () => {
      const id = input.value.trim().split(/\s/)[0];
      if (!ITEM_IDS.has(id)) { input.setCustomValidity(`not a ${LEAF} ID`); input.reportValidity(); return; }
      decide(pid, id, 1);
    };
    input.addEventListener("keydown", (ev) => { if (ev.key === "Enter") add(); });
    input.addEventListener("input", () => input.setCustomValidity(""));
    const added = Object.entries(d).filter(([id, v]) => id !== n.id && v === 1).map(([id]) =>
      el("button", { type: "button", class: "chip rv-added", title: "remove", onclick: () => decide(pid, id, null) }, `+ ${id} ×`));
    return el("div", { class: "review" }, btn(`Accept ${n.id}`, "rv-accept", 1), btn(`Reject ${n.id}`, "rv-reject", 0),
      input, el("button", { type: "button", class: "rv rv-add-btn", onclick: add }, "Add"), ...added);
  }
  function correctionRows() {
    const who = $("rv-name").value.trim();
    return Object.entries(RV).map(([pid, d]) => ({
      passage_id: pid, items: Object.keys(d).filter((k) => d[k] === 1).sort(), candidates: Object.keys(d).sort(),
      decision: "edit", annotator: who || null, model_id: META.model_id, source: "report", report: META.generated_at }));
  }
  function renderReviewBar() {
    const n = Object.values(RV).reduce((k, d) => k + Object.keys(d).length, 0);
    $("rv-download").textContent = `Download corrections (${n})`;
    $("rv-download").disabled = n === 0;
  }
  function setupReview() {
    $("rv-items").replaceChildren(...NODES.filter((x) => x.level === LEAF).map((x) =>
      el("option", { value: `${x.id} ${x.title || x.text.slice(0, 80)}` })));
    const name = $("rv-name");
    name.value = localStorage.getItem("aptag-reviewer") || "";
    name.addEventListener("change", () => { try { localStorage.setItem("aptag-reviewer", name.value.trim()); } catch (err) { /* ignore */ } });
    $("rv-download").addEventListener("click", () => {
      const text = correctionRows().map((r) => JSON.stringify(r)).join("\n") + "\n";
      const a = el("a", { href: "data:application/x-ndjson;charset=utf-8," + encodeURIComponent(text),
        download: `aptag-corrections-${META.generated_at.replace(/[^0-9]/g, "")}.jsonl` });
      document.body.append(a);
      a.click();
      a.remove();
    });
    renderReviewBar();
  }

  function saidLabel(said) {
    return `${ACTOR_LABEL[said[0]] || said[0]} ${said[1] === "none" ? "(no act)" : said[1]}`;
  }
  function renderRounds() {
    const R = D.rounds || {};
    const names = Object.keys(R).filter((c) => S.c < 0 || DIMS.country[S.c] === c);
    $("rounds-section").hidden = !names.length;
    $("rounds").replaceChildren(...names.map((c) => {
      const rounds = R[c].rounds;
      const head = el("tr", null, ["item", "status in the latest round", "raised in rounds", "committed", "rejected"].map((h) => el("th", { text: h })));
      const rows = R[c].items.map((r) => {
        const sentences = [...r.commitments.map((x) => `committed (round ${x.round}): ${x.sentence}`),
          ...r.rejections.map((x) => `rejected (round ${x.round}): ${x.sentence}`)];
        return el("tr", { class: "round-" + (r.status || "none") },
          el("td", null, el("span", { class: "id", text: r.item }), " " + r.title),
          el("td", { class: "status", text: (r.status || "").replace(/_/g, " ") }),
          el("td", { text: r.raised_rounds.join(", ") }), el("td", { text: r.committed_rounds.join(", ") }),
          el("td", null, r.rejected_rounds.join(", "), sentences.length ? el("details", null, el("summary", { text: "what they said" }),
            el("ul", null, sentences.map((t) => el("li", { text: t })))) : null));
      });
      return el("div", { class: "rounds-partner" },
        el("h3", { text: `${c}: ${rounds.length} rounds (` + rounds.map((r) => `${r[0]}: ${r[1]}`).join("; ") + ")" }),
        el("table", { class: "rounds" }, el("thead", null, head), el("tbody", null, rows)));
    }));
  }

  // ---- page ----------------------------------------------------------------------------------
  function render() {
    const R = compute();
    renderSummary(R);
    renderHeatmap(R);
    renderLevels(R);
    renderGaps(R);
    renderDrill(R);
    renderRounds();
  }
  function renderAbout() {
    const tx = META.taxonomy || {};
    $("about").replaceChildren(
      el("p", { text: `Evidence: passages tagged by model ${META.model_id || "(none)"} at or above its threshold for the ${LEAF}, after review ` +
        "(a reviewer's accept adds a tag, a reject removes it; the latest review wins). Tags below the threshold are counted apart as \"to review\". " +
        `Above the ${LEAF} level a passage counts once per node. Share = passages of the node / passages with any evidence in the selection. ` +
        `Δ compares the selected periods with as many periods just before (choose From/To). Periods: ${META.period}.` }),
      el("p", { text: `Taxonomy: ${tx.name || ""} (${tx.id || ""}). This report embeds at most ${META.max_evidence} evidence passages per ${LEAF}; ` +
        `all counts include every passage. Scope: ${META.scope}. Generated ${META.generated_at} by aptag.` }));
  }

  setupFilters();
  setupReview();
  renderAbout();
  render();
  document.body.dataset.ready = "1";
})();
