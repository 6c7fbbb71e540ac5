/* warta dashboard: a single-page app over the /api endpoints (hash routes, no build step).
 * Everything it loads ships in static/: d3, topojson-client and the Natural Earth basemap are vendored. */
(function () {
  "use strict";

  // ---------------------------------------------------------------- constants

  // PLOVER types in manual order with quad class; colour families follow the quad class
  // (verbal/material cooperation: blues/greens, verbal/material conflict: oranges/reds).
  const PLOVER = [
    ["AGREE", 1, "#1f5fa8"], ["CONSULT", 1, "#4c9be8"], ["SUPPORT", 1, "#2a9d8f"], ["CONCEDE", 1, "#8cc5e3"],
    ["COOPERATE", 2, "#2f8f46"], ["AID", 2, "#7dbb5b"], ["RETREAT", 2, "#b5d98a"],
    ["REQUEST", 3, "#e9b63b"], ["ACCUSE", 3, "#e8893a"], ["REJECT", 3, "#c9a227"], ["THREATEN", 3, "#d4663a"],
    ["SANCTION", 3, "#a86a2a"],
    ["PROTEST", 4, "#c2185b"], ["MOBILIZE", 4, "#8e44ad"], ["COERCE", 4, "#a83232"], ["ASSAULT", 4, "#6d1a1a"],
  ];
  const TYPES = PLOVER.map((p) => p[0]);
  const TYPE_COLOR = new Map(PLOVER.map((p) => [p[0], p[2]]));
  const QUADS = { 1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict" };
  const typeColor = (t) => TYPE_COLOR.get(t) || "#8a94a6";
  const PAGE = 50;
  const MAX_EDGES = 150;
  const parseDay = d3.utcParse("%Y-%m-%d");
  const fmtDay = d3.utcFormat("%Y-%m-%d");
  const fmtInt = d3.format(",d");

  // ---------------------------------------------------------------- helpers

  /** Build an element: h("td.num", {title: "x", onclick: f}, child, "text", ...). Text is never parsed as HTML. */
  function h(spec, attrs, ...children) {
    const [tag, ...classes] = spec.split(".");
    const node = document.createElement(tag || "div");
    if (classes.length) node.className = classes.join(" ");
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (k === "dataset") Object.assign(node.dataset, v);
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      node.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  /** GET api/<path> with the non-empty params; throws ApiError with the API's error message. */
  async function api(path, params) {
    const url = new URL("api" + path, document.baseURI);
    for (const [k, v] of Object.entries(params || {})) {
      if (v !== null && v !== undefined && v !== "") url.searchParams.set(k, v);
    }
    const res = await fetch(url, { headers: { Accept: "application/json" } });
    let body = null;
    try { body = await res.json(); } catch (_) { /* not JSON */ }
    if (!res.ok) {
      const msg = body && body.error ? body.error.message : res.statusText;
      throw new ApiError(res.status, `${msg} (HTTP ${res.status})`);
    }
    return body;
  }

  let worldPromise = null;
  const world = () => (worldPromise ||= fetch("static/vendor/countries-110m.json").then((r) => r.json()));

  const badge = (type) => h("span.badge", { style: `background:${typeColor(type)}`, title: type }, type || "—");
  const actorCell = (text, actor, country) =>
    h("span.actor", {}, text || "—", actor || country ? h("span.code", {}, " ", actor || country) : null);
  const docTitle = (d) => d.title || (d.text ? d.text.split("\n")[0].slice(0, 90).trim() + "…" : h("span.untitled", {}, "untitled article"));
  const eventHref = (e) => `#/doc/${encodeURIComponent(e.doc_id)}?event=${encodeURIComponent(e.event_id)}`;

  function typeSelect(value, name) {
    return h("select", { name: name || "type" }, h("option", { value: "" }, "All types"),
      TYPES.map((t) => h("option", { value: t, selected: t === value }, t)));
  }

  function go(path, params) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) if (v !== null && v !== undefined && v !== "") qs.set(k, v);
    const s = qs.toString();
    location.hash = "#" + path + (s ? "?" + s : "");
  }

  const tip = document.getElementById("tooltip");
  function showTip(ev, text) {
    tip.textContent = text;
    tip.hidden = false;
    const x = Math.min(ev.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
    tip.style.left = x + "px";
    tip.style.top = ev.clientY + 14 + "px";
  }
  const hideTip = () => { tip.hidden = true; };

  /** A list of events (side panels and search): each item opens its article. */
  function eventList(items) {
    if (!items.length) return h("p.empty", {}, "No events.");
    return h("ul.events", {}, items.map((e) => h("li", {
      dataset: { eventId: e.event_id, docId: e.doc_id, type: e.type },
      onclick: () => { location.hash = eventHref(e); },
    },
    h("div", {}, badge(e.type), " ", h("span.trigger-text", {}, e.trigger_text || ""), " ",
      h("span.muted.small", {}, e.cameo ? `CAMEO ${e.cameo}` : "")),
    h("div", {}, `${e.source_text || e.source_actor || "?"} → ${e.target_text || e.target_actor || "?"}`),
    h("div.t", {}, [e.date, e.location_name, e.title || e.site].filter(Boolean).join(" · ")))));
  }

  // ---------------------------------------------------------------- views

  async function viewOverview(main, params, ctx) {
    const stats = await api("/stats", { since: params.get("since"), until: params.get("until") });
    if (!ctx.alive()) return;
    const t = stats.totals || {};
    main.append(h("div.totals", {}, ["documents", "events", "quotes", "entities", "errors"].map((k) =>
      h("div.total", { dataset: { total: k } }, h("div.n", {}, fmtInt(t[k] || 0)), h("div.k", {}, k)))));
    const chart = h("div.chart.timeline");
    const legend = h("div.legend");
    const sub = h("p.muted.small");
    main.append(h("section.card", {}, h("h2", {}, "Events over time by PLOVER type"), sub, chart, legend));
    timeline(chart, legend, sub, stats.by_day_type || []);

    const actors = h("section.card", {}, h("h2", {}, "Most active actors"), h("p.loading", {}, "Loading…"));
    const docs = h("section.card", {}, h("h2", {}, "Latest articles"), h("p.loading", {}, "Loading…"));
    main.append(h("div.grid2", {}, actors, docs));
    await Promise.all([
      api("/actors", { limit: 10 }).then((r) => actors.replaceChildren(h("h2", {}, "Most active actors"),
        r.items.length ? h("table.data", {}, h("thead", {}, h("tr", {}, h("th", {}, "Actor"), h("th", {}, "Name"),
          h("th", {}, "Country"), h("th.num", {}, "Events"))),
        h("tbody", {}, r.items.map((a) => h("tr.clickable", { onclick: () => go("/events", { actor: a.actor }) },
          h("td", {}, h("code", {}, a.actor)), h("td", {}, a.name || ""), h("td", {}, a.country || ""),
          h("td.num", {}, fmtInt(a.n_events)))))) : h("p.empty", {}, "No actors."))),
      api("/documents", { limit: 8 }).then((r) => docs.replaceChildren(h("h2", {}, "Latest articles"),
        documentsTable(r.items))),
    ].map((p) => p.catch((err) => console.warn("overview panel:", err.message))));
  }

  function timeline(chart, legend, sub, rows) {
    rows = rows.filter((r) => r.date && parseDay(r.date));
    if (!rows.length) { chart.append(h("p.empty", {}, "No dated events.")); return; }
    const dates = rows.map((r) => parseDay(r.date));
    const [lo, hi] = d3.extent(dates);
    const days = d3.utcDay.count(lo, hi) + 1;
    // bucket by day, week or month so that bars stay readable on long ranges
    const [interval, unit] = days <= 120 ? [d3.utcDay, "day"] : days <= 1000 ? [d3.utcMonday, "week"] : [d3.utcMonth, "month"];
    const buckets = interval.range(interval.floor(lo), interval.offset(interval.floor(hi), 1));
    const byBucket = new Map(buckets.map((b) => [+b, {}]));
    const typeTotals = new Map();
    for (const r of rows) {
      const b = byBucket.get(+interval.floor(parseDay(r.date)));
      b[r.type] = (b[r.type] || 0) + r.n;
      typeTotals.set(r.type, (typeTotals.get(r.type) || 0) + r.n);
    }
    const types = [...TYPES.filter((x) => typeTotals.has(x)), ...[...typeTotals.keys()].filter((x) => !TYPE_COLOR.has(x))];
    const data = buckets.map((b) => Object.assign({ bucket: b }, Object.fromEntries(types.map((x) => [x, byBucket.get(+b)[x] || 0]))));
    const series = d3.stack().keys(types)(data);
    const total = d3.sum(rows, (r) => r.n);
    sub.textContent = `${fmtInt(total)} events from ${fmtDay(lo)} to ${fmtDay(hi)}, one bar per ${unit}. Click a bar or a type to list its events.`;

    const W = Math.max(chart.clientWidth, 600), H = 300, m = { t: 10, r: 16, b: 30, l: 44 };
    const x = d3.scaleBand().domain(buckets.map((b) => +b)).range([m.l, W - m.r]).paddingInner(0.2).paddingOuter(0.1);
    const maxY = d3.max(data, (d) => d3.sum(types, (k) => d[k])) || 1;
    const y = d3.scaleLinear().domain([0, maxY]).nice().range([H - m.b, m.t]);
    const bw = Math.min(x.bandwidth(), 56);
    const svg = d3.select(chart).append("svg").attr("viewBox", `0 0 ${W} ${H}`).attr("role", "img")
      .attr("aria-label", "Events per " + unit + " stacked by PLOVER type");
    const yTicks = y.ticks(Math.min(6, maxY)).filter(Number.isInteger);
    svg.append("g").attr("class", "grid").selectAll("line").data(yTicks).join("line")
      .attr("x1", m.l).attr("x2", W - m.r).attr("y1", y).attr("y2", y);
    const every = Math.max(1, Math.ceil(buckets.length / Math.floor((W - m.l - m.r) / 90)));
    const fmt = unit === "month" ? d3.utcFormat("%b %Y") : fmtDay;
    svg.append("g").attr("class", "axis x").attr("transform", `translate(0,${H - m.b})`)
      .call(d3.axisBottom(x).tickValues(x.domain().filter((_, i) => i % every === 0)).tickFormat((v) => fmt(new Date(v))));
    svg.append("g").attr("class", "axis y").attr("transform", `translate(${m.l},0)`)
      .call(d3.axisLeft(y).tickValues(yTicks).tickFormat(d3.format("~s")));
    const end = (b) => fmtDay(d3.utcDay.offset(interval.offset(b, 1), -1));
    svg.append("g").selectAll("g").data(series).join("g").attr("fill", (s) => typeColor(s.key))
      .selectAll("rect").data((s) => s.map((d) => Object.assign(d, { key: s.key }))).join("rect")
      .filter((d) => d[1] > d[0])
      .attr("class", "bar").attr("data-type", (d) => d.key).attr("data-date", (d) => fmtDay(d.data.bucket))
      .attr("data-n", (d) => d[1] - d[0])
      .attr("x", (d) => x(+d.data.bucket) + (x.bandwidth() - bw) / 2).attr("width", bw)
      .attr("y", (d) => y(d[1])).attr("height", (d) => Math.max(0, y(d[0]) - y(d[1])))
      .on("mousemove", (ev, d) => showTip(ev, `${d.key}: ${d[1] - d[0]} event${d[1] - d[0] === 1 ? "" : "s"}\n${unit === "day" ? fmtDay(d.data.bucket) : fmtDay(d.data.bucket) + " – " + end(d.data.bucket)}`))
      .on("mouseleave", hideTip)
      .on("click", (ev, d) => { hideTip(); go("/events", { type: d.key, since: fmtDay(d.data.bucket), until: end(d.data.bucket) }); });
    legend.append(...types.map((k) => h("span.item", { dataset: { type: k }, onclick: () => go("/events", { type: k }) },
      h("span.sw", { style: `background:${typeColor(k)}` }), `${k} (${fmtInt(typeTotals.get(k))})`)));
  }

  async function viewNetwork(main, params, ctx) {
    const type = params.get("type") || "";
    const minCount = params.get("min_count") || "";
    const form = h("div.toolbar", {},
      h("label", {}, "Event type", typeSelect(type)),
      h("label", {}, "Min. events per pair", h("input", { type: "number", min: 1, value: minCount || 1, name: "min_count", style: "width:70px" })));
    form.addEventListener("change", () => go("/network", {
      type: form.querySelector("[name=type]").value,
      min_count: form.querySelector("[name=min_count]").value > 1 ? form.querySelector("[name=min_count]").value : "",
    }));
    const viz = h("div.viz.network");
    const side = h("aside.card.side", {}, h("p.loading", {}, "Loading…"));
    main.append(h("section.card", {}, h("h2", {}, "Who interacts with whom: country pairs"), form,
      h("div.colorbar", {}, "mean Goldstein", h("span", {}, "−10"),
        h("span.ramp", { style: "background:linear-gradient(90deg,#c62f3a,#9aa3b2,#2f5fb3)" }), h("span", {}, "+10"),
        h("span", { style: "margin-left:12px" }, "arrow: source → target · width: number of events"))),
    h("div.split", {}, viz, side));

    const net = await api("/network", { type, min_count: minCount });
    if (!ctx.alive()) return;
    const intro = () => side.replaceChildren(h("h2", {}, "Country network"),
      h("p", {}, `${net.nodes.length} countries, ${net.edges.length} directed pairs.`),
      h("p.muted", {}, "Click an edge to list its events, or a country to list every event it takes part in. Drag countries to rearrange; scroll to zoom."));
    intro();
    if (!net.edges.length) { viz.append(h("p.empty", {}, "No country pairs for these filters.")); return; }

    const W = Math.max(viz.clientWidth, 500), H = 560;
    // a hairball helps nobody: without an explicit minimum, draw at most MAX_EDGES of the busiest pairs
    let shown = net.edges;
    let auto = 0;
    if (!minCount && shown.length > MAX_EDGES) {
      auto = d3.sort(shown.map((e) => e.n), (a, b) => b - a)[MAX_EDGES - 1] + 1;
      shown = shown.filter((e) => e.n >= auto);
      if (!shown.length) shown = d3.sort(net.edges, (a, b) => b.n - a.n).slice(0, MAX_EDGES);
    }
    const keep = new Set(shown.flatMap((e) => [e.source, e.target]));
    const nodes = net.nodes.filter((d) => keep.has(d.id)).map((d) => Object.assign({}, d));
    const links = shown.map((d) => Object.assign({}, d));
    if (shown.length < net.edges.length) {
      side.append(h("p.muted.small", { dataset: { autoMin: auto } }, `Showing the ${shown.length} busiest pairs` +
        (auto ? ` (${auto} or more events)` : "") + `; set a minimum to choose.`));
    }
    const r = d3.scaleSqrt().domain([1, d3.max(nodes, (d) => d.n) || 1]).range([9, 28]);
    const w = d3.scaleSqrt().domain([1, d3.max(links, (d) => d.n) || 1]).range([1.8, 9]);
    const color = d3.scaleLinear().domain([-10, 0, 10]).range(["#c62f3a", "#9aa3b2", "#2f5fb3"]).clamp(true);
    const pairs = new Set(links.map((l) => l.source + ">" + l.target));
    // a static layout (ticked to rest before drawing) keeps the picture stable and testable
    const sim = d3.forceSimulation(nodes)
      .force("link", d3.forceLink(links).id((d) => d.id).distance(150))
      .force("charge", d3.forceManyBody().strength(-600))
      .force("x", d3.forceX(W / 2).strength(0.04)).force("y", d3.forceY(H / 2).strength(0.12))
      .force("collide", d3.forceCollide((d) => r(d.n) + 18)).stop();
    for (let i = 0; i < 400; i++) sim.tick();
    for (const d of nodes) {
      d.x = Math.max(r(d.n) + 30, Math.min(W - r(d.n) - 30, d.x));
      d.y = Math.max(r(d.n) + 20, Math.min(H - r(d.n) - 30, d.y));
    }

    const svg = d3.select(viz).append("svg").attr("viewBox", `0 0 ${W} ${H}`).attr("height", H);
    const g = svg.append("g");
    const zoom = d3.zoom().scaleExtent([0.3, 6]).on("zoom", (ev) => g.attr("transform", ev.transform));
    svg.call(zoom);
    // start zoomed to fit the drawing (a small network would otherwise sit tiny in the middle)
    const [x0, x1] = d3.extent(nodes, (d) => d.x), [y0, y1] = d3.extent(nodes, (d) => d.y);
    const pad = 70, k = Math.min(1.6, W / (x1 - x0 + 2 * pad), H / (y1 - y0 + 2 * pad));
    svg.call(zoom.transform, d3.zoomIdentity.translate(W / 2, H / 2).scale(k).translate(-(x0 + x1) / 2, -(y0 + y1) / 2));
    const edge = g.append("g").selectAll("g").data(links).join("g").attr("class", "edge")
      .attr("data-source", (d) => d.source.id).attr("data-target", (d) => d.target.id)
      .attr("data-n", (d) => d.n).attr("data-goldstein", (d) => d.goldstein_mean);
    edge.append("line").attr("class", "hit");
    edge.append("line").attr("class", "vis").attr("stroke", (d) => color(d.goldstein_mean)).attr("stroke-width", (d) => w(d.n));
    edge.append("path").attr("class", "head").attr("fill", (d) => color(d.goldstein_mean));
    const node = g.append("g").selectAll("g").data(nodes).join("g").attr("class", "node").attr("data-id", (d) => d.id);
    node.append("circle").attr("r", (d) => r(d.n));
    node.append("text").attr("text-anchor", "middle").attr("dy", (d) => r(d.n) + 14).text((d) => d.id);

    function place() {
      node.attr("transform", (d) => `translate(${d.x},${d.y})`);
      edge.each(function (d) {
        const dx = d.target.x - d.source.x, dy = d.target.y - d.source.y, len = Math.hypot(dx, dy) || 1;
        const ux = dx / len, uy = dy / len;
        // reciprocal pairs are drawn side by side, each on its right-hand side
        const off = pairs.has(d.target.id + ">" + d.source.id) ? w(d.n) / 2 + 3 : 0;
        const ox = -uy * off, oy = ux * off;
        const head = 6 + w(d.n) * 1.2;
        const x1 = d.source.x + ux * r(d.source.n) + ox, y1 = d.source.y + uy * r(d.source.n) + oy;
        const x2 = d.target.x - ux * (r(d.target.n) + 2) + ox, y2 = d.target.y - uy * (r(d.target.n) + 2) + oy;
        const bx = x2 - ux * head, by = y2 - uy * head;
        const sel = d3.select(this);
        sel.selectAll("line").attr("x1", x1).attr("y1", y1).attr("x2", bx).attr("y2", by);
        const hw = head * 0.55;
        sel.select(".head").attr("d", `M${x2},${y2}L${bx - uy * hw},${by + ux * hw}L${bx + uy * hw},${by - ux * hw}Z`);
      });
    }
    place();
    node.call(d3.drag().on("drag", (ev, d) => { d.x = ev.x; d.y = ev.y; place(); }));

    edge.on("mousemove", (ev, d) => showTip(ev, `${d.source.id} → ${d.target.id}: ${d.n} event${d.n === 1 ? "" : "s"}\nmean Goldstein ${d3.format("+.1f")(d.goldstein_mean)}`))
      .on("mouseleave", hideTip)
      .on("click", async (ev, d) => {
        hideTip();
        edge.classed("selected", (e) => e === d);
        side.replaceChildren(h("h2", {}, `${d.source.id} → ${d.target.id}`),
          h("p.muted", {}, `${d.n} event${d.n === 1 ? "" : "s"} · mean Goldstein ${d3.format("+.1f")(d.goldstein_mean)}`),
          h("p.loading", {}, "Loading…"));
        const { items, res } = await pairEvents(d.source.id, d.target.id, type);
        if (!ctx.alive()) return;
        side.lastChild.replaceWith(eventList(items));
        if (res.total > res.items.length && items.length < d.n) {
          side.append(h("p.muted.small", {}, `Showing the pair's events among the ${res.items.length} newest of ${d.source.id}.`));
        }
      });
    node.on("mousemove", (ev, d) => showTip(ev, `${d.id}: ${d.n} event${d.n === 1 ? "" : "s"} with another country`))
      .on("mouseleave", hideTip)
      .on("click", async (ev, d) => {
        if (ev.defaultPrevented) return; // end of a drag
        edge.classed("selected", (e) => e.source === d || e.target === d);
        side.replaceChildren(h("h2", {}, d.id), h("p.loading", {}, "Loading…"));
        const res = await api("/events", { country: d.id, type, limit: 100 });
        if (!ctx.alive()) return;
        side.replaceChildren(h("h2", {}, d.id),
          h("p.muted", {}, `${fmtInt(res.total)} events involving ${d.id}. `,
            h("a", { href: `#/events?country=${d.id}${type ? "&type=" + type : ""}` }, "Open in the events table")),
          eventList(res.items));
      });
    ctx.cleanup.push(() => sim.stop());
  }

  /** Events coded source → target. The API filters by country on either side; the pair is kept here. */
  async function pairEvents(source, target, type) {
    const res = await api("/events", { country: source, source, target, type, limit: 500 });
    return { items: res.items.filter((e) => e.source_country === source && e.target_country === target), res };
  }

  async function viewMap(main, params, ctx) {
    const type = params.get("type") || "";
    const form = h("div.toolbar", {}, h("label", {}, "Event type", typeSelect(type)));
    form.addEventListener("change", () => go("/map", { type: form.querySelector("[name=type]").value }));
    const viz = h("div.viz.map");
    const side = h("aside.card.side", {}, h("p.loading", {}, "Loading…"));
    main.append(h("section.card", {}, h("h2", {}, "Where events happen"), form,
      h("p.muted.small", {}, "Circle area: number of events at the place. Basemap: Natural Earth 1:110m (public domain).")),
    h("div.split", {}, viz, side));

    const [topo, locs] = await Promise.all([world(), api("/locations", { type, limit: 500 })]);
    if (!ctx.alive()) return;
    let dots = null;
    const items = locs.items.filter((d) => Number.isFinite(d.lat) && Number.isFinite(d.lon)).sort((a, b) => b.n - a.n);
    side.replaceChildren(h("h2", {}, "Event locations"),
      h("p", {}, `${items.length} place${items.length === 1 ? "" : "s"}` + (locs.total > items.length ? ` (the ${items.length} busiest of ${fmtInt(locs.total)})` : "") + "."),
      h("p.muted", {}, "Click a place to list its events. Scroll to zoom, drag to pan."),
      h("table.data.places", {}, h("thead", {}, h("tr", {}, h("th", {}, "Place"), h("th", {}, "Country"), h("th.num", {}, "Events"))),
        h("tbody", {}, items.slice(0, 25).map((d) => h("tr.clickable", { dataset: { name: d.name },
          onclick: () => dots.filter((e) => e === d).dispatch("click") },
        h("td", {}, d.name), h("td", {}, d.country || ""), h("td.num", {}, fmtInt(d.n)))))));

    const W = Math.max(viz.clientWidth, 500), H = Math.round(W * 0.52);
    const sphere = { type: "Sphere" };
    const projection = d3.geoNaturalEarth1().fitExtent([[8, 8], [W - 8, H - 8]], sphere);
    const path = d3.geoPath(projection);
    const svg = d3.select(viz).append("svg").attr("viewBox", `0 0 ${W} ${H}`).attr("height", H);
    const g = svg.append("g");
    g.append("path").attr("class", "sphere").attr("d", path(sphere));
    g.append("path").attr("class", "graticule").attr("d", path(d3.geoGraticule10()));
    g.append("g").selectAll("path").data(topojson.feature(topo, topo.objects.countries).features).join("path")
      .attr("class", "land").attr("d", path).append("title").text((d) => d.properties.name);
    const r = d3.scaleSqrt().domain([0, d3.max(items, (d) => d.n) || 1]).range([0, 22]);
    const rad = (d) => Math.max(4, r(d.n));
    dots = g.append("g").selectAll("circle").data(items).join("circle").attr("class", "loc")
      .attr("data-name", (d) => d.name).attr("data-country", (d) => d.country).attr("data-n", (d) => d.n)
      .attr("cx", (d) => projection([d.lon, d.lat])[0]).attr("cy", (d) => projection([d.lon, d.lat])[1]).attr("r", rad);
    // label the busiest places whose labels do not overlap an already placed one
    const boxes = [];
    const labelled = items.filter((d) => {
      const [px, py] = projection([d.lon, d.lat]);
      const b = [px + rad(d) + 3, py - 7, px + rad(d) + 3 + d.name.length * 6.2, py + 6];
      if (boxes.length >= 25 || boxes.some((o) => b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3])) return false;
      boxes.push(b);
      return true;
    });
    const labels = g.append("g").selectAll("text").data(labelled).join("text").attr("class", "loc-label")
      .attr("x", (d) => projection([d.lon, d.lat])[0] + rad(d) + 3).attr("y", (d) => projection([d.lon, d.lat])[1] + 4)
      .text((d) => d.name);
    svg.call(d3.zoom().scaleExtent([1, 12]).translateExtent([[0, 0], [W, H]]).on("zoom", (ev) => {
      const k = ev.transform.k;
      g.attr("transform", ev.transform);
      dots.attr("r", (d) => rad(d) / Math.sqrt(k)).attr("stroke-width", 1 / k);
      labels.attr("font-size", 11 / k).attr("stroke-width", 3 / k)
        .attr("x", (d) => projection([d.lon, d.lat])[0] + (rad(d) / Math.sqrt(k)) + 3 / k)
        .attr("y", (d) => projection([d.lon, d.lat])[1] + 4 / k);
      g.selectAll(".land").attr("stroke-width", 0.5 / k);
    }));
    dots.on("mousemove", (ev, d) => showTip(ev, `${d.name}${d.country ? " (" + d.country + ")" : ""}: ${d.n} event${d.n === 1 ? "" : "s"}`))
      .on("mouseleave", hideTip)
      .on("click", async (ev, d) => {
        hideTip();
        dots.classed("selected", (e) => e === d);
        side.replaceChildren(h("h2", {}, d.name), h("p.muted", {}, `${d.country || ""} · ${d.n} event${d.n === 1 ? "" : "s"}`), h("p.loading", {}, "Loading…"));
        const res = await api("/events", { country: d.country, type, limit: 500 });
        if (!ctx.alive()) return;
        side.lastChild.replaceWith(eventList(res.items.filter((e) => e.location_name === d.name)));
      });
  }

  const EVENT_FILTERS = ["q", "country", "actor", "type", "quad_class", "since", "until"];

  /** A filter form over `route`: the controls (named like the API's parameters), a date range, Filter and Reset.
   * Submitting puts the non-empty values (through `clean`) into the address, which renders the view again. */
  function filterForm(route, params, controls, clean) {
    const val = (k) => params.get(k) || "";
    const form = h("form.filters", {}, controls,
      h("label", {}, "Since", h("input", { name: "since", type: "date", value: val("since") })),
      h("label", {}, "Until", h("input", { name: "until", type: "date", value: val("until") })),
      h("button.primary", { type: "submit" }, "Filter"),
      h("button", { type: "button", onclick: () => go(route, {}) }, "Reset"));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      go(route, Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, clean ? clean(k, v) : v])));
    });
    return form;
  }

  /** Filters named `keys` from the address, plus a page offset. */
  function filtersOf(params, keys) {
    const filters = Object.fromEntries(keys.map((k) => [k, params.get(k) || ""]));
    return [filters, Math.max(0, parseInt(params.get("offset") || "0", 10) || 0)];
  }

  async function viewEvents(main, params, ctx) {
    const val = (k) => params.get(k) || "";
    const form = filterForm("/events", params, [
      h("label", {}, "Text", h("input", { name: "q", type: "search", value: val("q"), placeholder: "evidence, trigger, actor" })),
      h("label", {}, "Country", h("input.iso", { name: "country", value: val("country"), placeholder: "ISO3", maxlength: 3 })),
      h("label", {}, "Actor", h("input", { name: "actor", value: val("actor"), placeholder: "e.g. IRNGOV", style: "width:110px" })),
      h("label", {}, "Type", typeSelect(val("type"))),
      h("label", {}, "Quad class", h("select", { name: "quad_class" }, h("option", { value: "" }, "All"),
        Object.entries(QUADS).map(([k, v]) => h("option", { value: k, selected: k === val("quad_class") }, `${k} ${v}`)))),
    ], (k, v) => (k === "country" ? v.toUpperCase() : v));
    const card = h("section.card", {}, h("p.loading", {}, "Loading…"));
    main.append(h("section.card", {}, h("h2", {}, "Events"), form), card);

    const [filters, offset] = filtersOf(params, EVENT_FILTERS);
    const res = await api("/events", Object.assign({}, filters, { limit: PAGE, offset }));
    if (!ctx.alive()) return;
    const rows = res.items.map((e) => h("tr.clickable", {
      dataset: { eventId: e.event_id, docId: e.doc_id, type: e.type },
      onclick: () => { location.hash = eventHref(e); },
    },
    h("td.nowrap", {}, e.date || "—"),
    h("td", {}, badge(e.type), h("div.muted.small", {}, e.cameo ? `CAMEO ${e.cameo}` : "")),
    h("td", {}, actorCell(e.source_text, e.source_actor, e.source_country)),
    h("td", {}, actorCell(e.target_text, e.target_actor, e.target_country)),
    h("td", {}, e.location_name || "—", e.location_country ? h("div.muted.small", {}, e.location_country) : null),
    h("td", {}, h("span.trigger-text", {}, e.trigger_text || ""), e.negated ? h("div.muted.small", {}, "negated") : null,
      e.mode ? h("div.muted.small", {}, e.mode) : null),
    h("td.num", {}, e.goldstein === null || e.goldstein === undefined ? "" : d3.format("+.1f")(e.goldstein)),
    h("td", {}, docTitle(e), h("div.muted.small", {}, e.site || ""))));
    card.replaceChildren(
      res.items.length ? h("table.data.events", {}, h("thead", {}, h("tr", {}, ["Date", "Type", "Source", "Target", "Location",
        "Trigger", "Goldstein", "Article"].map((c) => h(c === "Goldstein" ? "th.num" : "th", {}, c)))), h("tbody", {}, rows))
        : h("p.empty", {}, "No events match these filters."),
      pager(res, (o) => go("/events", Object.assign({}, filters, { offset: o || "" }))));
  }

  function pager(res, goTo) {
    const first = res.total ? res.offset + 1 : 0, last = res.offset + res.items.length;
    return h("div.pager", {},
      h("span.muted", {}, `${fmtInt(first)}–${fmtInt(last)} of ${fmtInt(res.total)}`),
      h("button", { type: "button", disabled: res.offset <= 0, onclick: () => goTo(Math.max(0, res.offset - res.limit)) }, "‹ Previous"),
      h("button", { type: "button", disabled: last >= res.total, onclick: () => goTo(res.offset + res.limit) }, "Next ›"));
  }

  function documentsTable(items) {
    if (!items.length) return h("p.empty", {}, "No articles.");
    return h("table.data.documents", {}, h("thead", {}, h("tr", {}, h("th", {}, "Published"), h("th", {}, "Article"),
      h("th", {}, "Lang."), h("th.num", {}, "Entities"), h("th.num", {}, "Events"), h("th.num", {}, "Quotes"))),
    h("tbody", {}, items.map((d) => h("tr.clickable", {
      dataset: { docId: d.id }, onclick: () => { location.hash = `#/doc/${encodeURIComponent(d.id)}`; },
    }, h("td.nowrap", {}, d.published || "—"), h("td", {}, docTitle(d), h("div.muted.small", {}, d.site || "")),
    h("td", {}, d.language || ""), h("td.num", {}, fmtInt(d.n_entities || 0)), h("td.num", {}, fmtInt(d.n_events || 0)),
    h("td.num", {}, fmtInt(d.n_quotes || 0))))));
  }

  async function viewDocuments(main, params, ctx) {
    const val = (k) => params.get(k) || "";
    const form = filterForm("/documents", params, [
      h("label", {}, "Text", h("input", { name: "q", type: "search", value: val("q"), placeholder: "title or text" })),
      h("label", {}, "Site", h("input", { name: "site", value: val("site") })),
      h("label", {}, "Language", h("input", { name: "language", value: val("language"), style: "width:60px" })),
    ]);
    const card = h("section.card", {}, h("p.loading", {}, "Loading…"));
    main.append(h("section.card", {}, h("h2", {}, "Articles"), form), card);
    const [filters, offset] = filtersOf(params, ["q", "site", "language", "since", "until"]);
    const res = await api("/documents", Object.assign({}, filters, { limit: PAGE, offset }));
    if (!ctx.alive()) return;
    card.replaceChildren(documentsTable(res.items), pager(res, (o) => go("/documents", Object.assign({}, filters, { offset: o || "" }))));
  }

  async function viewSearch(main, params, ctx) {
    const q = params.get("q") || "";
    document.getElementById("search-q").value = q;
    if (!q) { main.append(h("p.empty", {}, "Type a word in the search box.")); return; }
    const [docs, events] = await Promise.all([api("/documents", { q, limit: 20 }), api("/events", { q, limit: 20 })]);
    if (!ctx.alive()) return;
    main.append(h("h1", {}, `Search: “${q}”`),
      h("section.card.side-free", {}, h("h2", {}, `Articles (${fmtInt(docs.total)})`), documentsTable(docs.items),
        docs.total > docs.items.length ? h("p", {}, h("a", { href: `#/documents?q=${encodeURIComponent(q)}` }, "All matching articles ›")) : null),
      h("section.card.side", { style: "position:static;max-height:none" }, h("h2", {}, `Events (${fmtInt(events.total)})`), eventList(events.items),
        events.total > events.items.length ? h("p", {}, h("a", { href: `#/events?q=${encodeURIComponent(q)}` }, "All matching events ›")) : null));
  }

  async function viewDocument(main, params, ctx, id) {
    const doc = await api("/documents/" + encodeURIComponent(id));
    if (!ctx.alive()) return;
    const text = doc.text || "";
    let active = params.get("event") || null;
    const hidden = new Set();

    // events sharing a trigger span become one highlighted trigger
    const triggers = new Map();
    for (const e of doc.events || []) {
      const t = e.trigger || {};
      if (!Number.isInteger(t.start)) continue;
      const k = t.start + ":" + t.end;
      if (!triggers.has(k)) triggers.set(k, { start: t.start, end: t.end, events: [] });
      triggers.get(k).events.push(e);
    }
    const placeName = (l) => (l && typeof l === "object" ? l.name || l.text : l);
    const who = (a) => (a && (a.text || a.actor || a.country)) || "?";
    function spans() {
      const out = [];
      (doc.quotes || []).forEach((q, i) => {
        const sp = q.speaker || {};
        out.push({ start: q.start, end: q.end, rank: 0, cls: `quote ${q.kind || ""}`.trim(),
          attrs: { kind: q.kind, speaker: sp.canonical || sp.text, quote: i },
          title: `${q.kind || ""} quote · ${sp.canonical || sp.text || "unknown speaker"}` });
      });
      const ev = (doc.events || []).find((e) => e.event_id === active);
      if (ev && ev.sentence && Number.isInteger(ev.sentence.start)) {
        out.push({ start: ev.sentence.start, end: ev.sentence.end, rank: 1, cls: "sentence active", attrs: { eventId: ev.event_id } });
      }
      for (const role of ["source", "target"]) {
        const a = ev && ev[role];
        if (a && Number.isInteger(a.start)) {
          out.push({ start: a.start, end: a.end, rank: 5, cls: "arg " + role, attrs: { role, actor: a.actor, country: a.country },
            title: `${role} of the selected event · ${a.actor || a.country || "?"}` });
        }
      }
      for (const e of doc.entities || []) {
        out.push({ start: e.start, end: e.end, rank: 2, cls: `ent ${e.type || ""}`.trim(),
          attrs: { type: e.type, canonical: e.canonical, actor: e.actor, country: e.country },
          title: [e.type, e.canonical && e.canonical !== e.text ? e.canonical : null, e.actor || e.country].filter(Boolean).join(" · ") });
      }
      for (const d of doc.dates || []) {
        out.push({ start: d.start, end: d.end, rank: 3, cls: "date", attrs: { value: d.value }, title: `date · ${d.value || "?"}` });
      }
      for (const t of triggers.values()) {
        const ids = t.events.map((e) => e.event_id);
        out.push({ start: t.start, end: t.end, rank: 4, cls: "trigger" + (ids.includes(active) ? " active" : ""),
          attrs: { eventId: ids.join(" "), type: t.events.map((e) => e.type).join(" "), cameo: t.events.map((e) => e.cameo).join(" ") },
          title: t.events.map((e) => `${e.type} (${e.cameo}): ${who(e.source)} → ${who(e.target)}${e.date ? ", " + e.date : ""}`).join("\n") });
      }
      return out;
    }
    const body = h("div.body", { lang: doc.language || null });
    const draw = () => {
      body.replaceChildren(WartaSpans.renderSpans(text, spans()));
      body.className = "body" + [...hidden].map((k) => " hide-" + k).join("");
    };
    const layer = (key, keys, label, n) => h("label", {}, h("input", { type: "checkbox", checked: true, dataset: { layer: key },
      onchange: (ev) => { if (ev.target.checked) hidden.delete(key); else hidden.add(key); draw(); } }),
    keys.map(([cls, txt]) => h("span.key." + cls, {}, txt)), label, h("span.muted", {}, `(${n})`));
    const meta = [doc.site, doc.published ? `published ${doc.published}${doc.published_inferred ? " (inferred)" : ""}` : null,
      doc.dateline ? `dateline ${typeof doc.dateline === "string" ? doc.dateline : doc.dateline.text || ""}` : null,
      doc.language ? `language ${doc.language}` : null].filter(Boolean);
    const entTypes = [...new Set((doc.entities || []).map((e) => e.type || "OTHER"))].sort();
    const layers = h("div.layers", {},
      layer("ent", entTypes.map((t) => ["k-" + t, t]), "entities", (doc.entities || []).length),
      layer("trigger", [["k-trigger", "trigger"]], "events", triggers.size),
      layer("quote", [["k-quote", "“…”"]], "quotes", (doc.quotes || []).length),
      layer("date", [["k-date", "date"]], "dates", (doc.dates || []).length));
    draw();

    const flash = (sel) => {
      const els = body.querySelectorAll(sel);
      body.querySelectorAll(".hl").forEach((x) => x.classList.remove("hl"));
      els.forEach((x) => x.classList.add("hl"));
      if (els.length) els[0].scrollIntoView({ block: "center", behavior: "smooth" });
      setTimeout(() => els.forEach((x) => x.classList.remove("hl")), 1600);
    };
    const evItems = (doc.events || []).map((e) => h("div.item" + (e.event_id === active ? ".active" : ""), {
      dataset: { eventId: e.event_id, type: e.type },
      onclick: () => select(e.event_id, true),
    }, h("div", {}, badge(e.type), " ", h("span.trigger-text", {}, (e.trigger && e.trigger.text) || ""), " ",
      h("span.muted.small", {}, `CAMEO ${e.cameo || "?"}`)),
    h("div", {}, `${who(e.source)} → ${who(e.target)}`),
    h("div.muted.small", {}, [e.date, placeName(e.location)].filter(Boolean).join(" · "))));
    function select(eventId, scroll) {
      active = eventId;
      history.replaceState(null, "", `#/doc/${encodeURIComponent(id)}?event=${encodeURIComponent(eventId)}`);
      evItems.forEach((x) => x.classList.toggle("active", x.dataset.eventId === eventId));
      draw();
      const t = body.querySelector(".trigger.active") || body.querySelector(".sentence.active");
      if (scroll && t) t.scrollIntoView({ block: "center", behavior: "smooth" });
    }
    const quoteItems = (doc.quotes || []).map((q, i) => h("div.item", { dataset: { quote: i }, onclick: () => flash(`.quote[data-quote="${i}"]`) },
      h("div", {}, h("strong", {}, (q.speaker && (q.speaker.canonical || q.speaker.text)) || "unknown speaker"), " ",
        h("span.muted.small", {}, q.kind || "")),
      h("div.q", {}, `“${q.text.length > 180 ? q.text.slice(0, 180) + "…" : q.text}”`)));
    const ents = d3.rollups(doc.entities || [], (v) => v, (e) => `${e.type}\u0000${e.canonical || e.text}`)
      .sort((a, b) => b[1].length - a[1].length);
    const chips = h("div.chips", {}, ents.map(([, v]) => h("span.chip." + (v[0].type || "OTHER"), {
      title: [v[0].type, v[0].actor || v[0].country].filter(Boolean).join(" · "),
      onclick: () => flash(v.map((e) => `.ent[data-start="${e.start}"][data-end="${e.end}"]`).join(",")),
    }, `${v[0].canonical || v[0].text} (${v.length})`)));

    main.append(h("div.article", {},
      h("section.card", {}, h("h1.doc-title", {}, docTitle(doc)), h("div.meta", {}, meta.map((m) => h("span", {}, m)),
        doc.url ? h("a", { href: doc.url, target: "_blank", rel: "noopener noreferrer" }, "original") : null), layers, body),
      h("aside.card.side", {},
        h("h2", {}, `Events (${(doc.events || []).length})`), evItems.length ? evItems : h("p.empty", {}, "No events."),
        h("h3", {}, `Quotes (${(doc.quotes || []).length})`), quoteItems.length ? quoteItems : h("p.muted", {}, "None."),
        h("h3", {}, `Entities (${ents.length})`), chips)));
    if (active) {
      const t = body.querySelector(".trigger.active");
      if (t) t.scrollIntoView({ block: "center" });
    }
  }

  // ---------------------------------------------------------------- router

  const ROUTES = [
    [/^\/?$/, "overview", viewOverview],
    [/^\/network$/, "network", viewNetwork],
    [/^\/map$/, "map", viewMap],
    [/^\/events$/, "events", viewEvents],
    [/^\/documents$/, "documents", viewDocuments],
    [/^\/search$/, "search", viewSearch],
    [/^\/doc\/(.+)$/, "doc", (main, params, ctx, m) => viewDocument(main, params, ctx, decodeURIComponent(m[1]))],
  ];
  let current = null;

  async function render() {
    if (current) { current.dead = true; current.cleanup.forEach((f) => f()); }
    const ctx = { dead: false, cleanup: [], alive: () => !ctx.dead };
    current = ctx;
    hideTip();
    const raw = location.hash.replace(/^#/, "") || "/";
    const [path, qs] = raw.split("?");
    const params = new URLSearchParams(qs || "");
    const main = document.getElementById("view");
    main.replaceChildren();
    delete main.dataset.ready;
    let found = null;
    for (const [re, name, fn] of ROUTES) {
      const m = path.match(re);
      if (m) { found = [name, fn, m]; break; }
    }
    const name = found ? found[0] : "notfound";
    document.body.dataset.view = name;
    document.querySelectorAll("header nav a").forEach((a) => a.classList.toggle("active", a.dataset.route === name));
    if (name !== "search") document.getElementById("search-q").value = "";
    try {
      if (!found) main.append(h("p.error", {}, `No such page: ${path}`));
      else await found[1](main, params, ctx, found[2]);
    } catch (err) {
      if (!ctx.alive()) return;
      if (!(err instanceof ApiError)) console.error(err);
      main.append(h("p.error", {}, err instanceof ApiError && err.status === 404 ? `Not found: ${err.message}` : `Could not load this page: ${err.message}`));
    }
    if (ctx.alive()) main.dataset.ready = name;
  }

  document.getElementById("search").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = document.getElementById("search-q").value.trim();
    if (q) go("/search", { q });
  });
  window.addEventListener("hashchange", render);
  render();
})();
