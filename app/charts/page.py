"""The dashboard page: written to disk once, then driven only through its JavaScript.

plotly.js comes from the installed plotly package, never a CDN: the app must work on an
air-gapped ministry network. It is larger than the 2 MB QWebEngineView.setHtml accepts,
so the page and the library are files loaded by URL. After that the page is never
rebuilt: a value arriving extends a line (Plotly.extendTraces) or redraws one chart
(Plotly.react with a uirevision), so zoom and hover survive.
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

PAGE_NAME = "dashboard.html"

_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; script-src 'self' 'unsafe-inline' 'unsafe-eval';
 style-src 'unsafe-inline'; img-src data: blob:; font-src data:">
<style>
 body { font-family: sans-serif; margin: 8px; background: #fff; }
 #banner { display: none; background: #b3261e; color: #fff; font-weight: bold;
   text-align: center; padding: 2px; margin-bottom: 6px; }
 #banner.pending { background: #e0e0e0; color: #000; }
 #empty { color: #555; padding: 24px; text-align: center; }
 #grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr));
   gap: 10px; }
 .card { border: 1px solid #ddd; border-radius: 4px; height: 320px; }
 .card.kpi { height: 170px; }
</style>
<script src="%LIBRARY%"></script>
</head><body>
<div id="banner"></div><div id="empty"></div><div id="grid"></div>
<script>
"use strict";
window.oor = {
  config: {responsive: true, displaylogo: false, displayModeBar: false},
  card(id, kind) {
    let div = document.getElementById("chart-" + id);
    if (!div) {
      div = document.createElement("div");
      div.id = "chart-" + id;
      div.classList.add("card");
      document.getElementById("grid").appendChild(div);
    }
    // classList, not className: plotly marks the div with classes of its own.
    div.classList.toggle("kpi", kind === "kpi");
    return div;
  },
  showEmpty() {
    const empty = document.getElementById("empty");
    empty.style.display = document.getElementById("grid").children.length ? "none" : "block";
  },
  // The session's marking: EXERCISE, or (tone "pending") its details not decrypted yet.
  mark(banner, tone) {
    const shown = document.getElementById("banner");
    shown.textContent = banner; shown.style.display = banner ? "block" : "none";
    shown.classList.toggle("pending", tone === "pending");
    return banner;
  },
  load(charts, direction, banner, tone, emptyText) {
    document.documentElement.dir = direction;
    const grid = document.getElementById("grid");
    for (const div of Array.from(grid.children)) { Plotly.purge(div); div.remove(); }
    this.mark(banner, tone);
    document.getElementById("empty").textContent = emptyText;
    for (const c of charts) { this.react(c.id, c.kind, c.figure); }
    this.showEmpty();
    return charts.length;
  },
  react(id, kind, figure) {
    Plotly.react(this.card(id, kind), figure.data, figure.layout, this.config);
    this.showEmpty();
    return true;
  },
  extend(id, payload) {
    const div = document.getElementById("chart-" + id);
    if (!div || !div.data) { return false; }
    Plotly.extendTraces(div, {x: payload.x, y: payload.y}, payload.indices);
    return true;
  },
  // Answers go back to Qt as JSON text: arrays do not survive the trip as they are.
  data(id) {
    const div = document.getElementById("chart-" + id);
    if (!div || !div.data) { return "null"; }
    return JSON.stringify(div.data.map(t => ({name: t.name, x: t.x, y: t.y, value: t.value})));
  },
  charts() {
    const cards = Array.from(document.getElementById("grid").children);
    return JSON.stringify(cards.map(d => d.id.slice(6)));
  },
  rect(id) {
    const div = document.getElementById("chart-" + id);
    const r = div ? div.getBoundingClientRect() : {left: 0, top: 0, width: 0, height: 0};
    return JSON.stringify([r.left, r.top, r.width, r.height]);
  },
};
</script></body></html>
"""


def write_page(directory: Path) -> Path:
    """Write the page and plotly.js into ``directory`` (once per plotly version); the
    page's path. Called on the backend thread: the library is 4–5 MB."""
    directory.mkdir(parents=True, exist_ok=True)
    # The installed plotly's version from its metadata: importing plotly (~1.2 MB held
    # for good) is needed only on the start that writes its library, not on every start.
    library = directory / f"plotly-{version('plotly')}.min.js"
    if not library.exists():
        import plotly.offline

        partial = library.with_suffix(".part")
        partial.write_text(plotly.offline.get_plotlyjs(), encoding="utf-8")
        partial.replace(library)
    page = directory / PAGE_NAME
    page.write_text(_PAGE.replace("%LIBRARY%", library.name), encoding="utf-8")
    return page
