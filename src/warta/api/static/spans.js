/* Render character-offset spans over a text as nested elements.
 *
 * Spans may nest (an entity inside a quote) or cross (a quote that ends inside an entity). Nesting
 * spans become nested elements; a span crossed by another is split into fragments that share its
 * data-span id (every fragment after the first also gets the class "cont"), so the text of all the
 * fragments of one span, in document order, is exactly text.slice(start, end).
 */
(function (global) {
  "use strict";

  /**
   * @param {string} text
   * @param {Array<{start:number,end:number,cls:string,rank?:number,attrs?:Object,title?:string}>} spans
   *   rank orders spans that share both offsets: lower rank is outside.
   * @returns {DocumentFragment}
   */
  function renderSpans(text, spans) {
    const valid = spans
      .map((s, i) => Object.assign({ id: i, rank: 0 }, s))
      .filter((s) => Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.end <= text.length && s.start < s.end);
    // outer spans first: earlier start, then longer, then lower rank
    valid.sort((a, b) => a.start - b.start || b.end - a.end || a.rank - b.rank || a.id - b.id);

    const bounds = new Set([0, text.length]);
    for (const s of valid) { bounds.add(s.start); bounds.add(s.end); }
    const cuts = Array.from(bounds).sort((a, b) => a - b);

    const root = document.createDocumentFragment();
    const stack = []; // {span, el}
    const top = () => (stack.length ? stack[stack.length - 1].el : root);
    const open = (span, cont) => {
      const el = document.createElement("span");
      el.className = span.cls + (cont ? " cont" : "");
      el.dataset.span = String(span.id);
      el.dataset.start = String(span.start);
      el.dataset.end = String(span.end);
      for (const [k, v] of Object.entries(span.attrs || {})) {
        if (v !== null && v !== undefined && v !== "") el.dataset[k] = String(v);
      }
      if (span.title) el.title = span.title;
      top().appendChild(el);
      stack.push({ span, el });
    };

    let next = 0; // index into valid of the next span to open
    for (let c = 0; c < cuts.length; c++) {
      const pos = cuts[c];
      // close every span ending here; spans opened inside them that go on are reopened as fragments
      const lowest = stack.findIndex((f) => f.span.end <= pos);
      if (lowest >= 0) {
        const popped = stack.splice(lowest);
        for (const f of popped) if (f.span.end > pos) open(f.span, true);
      }
      while (next < valid.length && valid[next].start === pos) open(valid[next++], false);
      if (c + 1 < cuts.length && cuts[c + 1] > pos) top().appendChild(document.createTextNode(text.slice(pos, cuts[c + 1])));
    }
    return root;
  }

  global.WartaSpans = { renderSpans };
})(window);
