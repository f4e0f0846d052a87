// The district map: outline, township, village and grid layers, search, and a grid's details.
// Everything it loads comes from this platform's own API; no tiles unless configured.
(function () {
  "use strict";

  var el = document.getElementById("map");
  var labels = JSON.parse(document.getElementById("map-labels").textContent);
  var api = el.dataset.api;
  var root = el.dataset.root;
  var statusEl = document.getElementById("map-status");
  var infoEl = document.getElementById("region-info");
  var resultsEl = document.getElementById("search-results");

  var map = L.map(el, { zoomSnap: 0.25, preferCanvas: false, attributionControl: true });
  el.wanggeMap = map; // lets browser tests turn coordinates into screen points
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(el.dataset.attribution);
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution, maxZoom: 19 }).addTo(map);
  }

  var styles = {
    outline: { color: "#8a1c1c", weight: 3, fill: false, interactive: false },
    township: { color: "#1f4e79", weight: 2, fill: false, interactive: false },
    village: { color: "#4f7cac", weight: 1, fill: false, dashArray: "4 3", interactive: false },
    grid: { color: "#7a8f7a", weight: 0.6, fillColor: "#d8e8d0", fillOpacity: 0.55 },
    selected: { color: "#d35400", weight: 3, fillColor: "#f5b041", fillOpacity: 0.6 },
    highlight: { color: "#d35400", weight: 4, fill: false, interactive: false }
  };
  var selected = null;
  var highlight = null;
  var gridLayer = null;

  function say(text) { statusEl.textContent = text || ""; }

  function getJSON(path) {
    return fetch(api + path, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) { var error = new Error(body.message || response.statusText); error.body = body; throw error; }
          return body;
        });
      });
  }

  function text(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content !== undefined) { node.textContent = content; }
    return node;
  }

  function fact(list, term, value) {
    list.appendChild(text("dt", "", term));
    list.appendChild(text("dd", "", value));
  }

  function showRegion(region) {
    infoEl.replaceChildren();
    infoEl.appendChild(text("h2", "", region.name));
    var facts = text("dl", "facts");
    fact(facts, labels.code, region.code);
    region.parents.forEach(function (parent) {
      if (parent.level === "township") { fact(facts, labels.township, parent.name); }
      if (parent.level === "village") { fact(facts, labels.village, parent.name); }
    });
    infoEl.appendChild(facts);
    if (region.level === "grid") {
      infoEl.appendChild(text("h3", "", labels.workers));
      if (!region.workers.length) { infoEl.appendChild(text("p", "muted", labels.noWorkers)); }
      var list = text("ul", "workers");
      region.workers.forEach(function (worker) {
        var item = text("li", "", worker.name + " ");
        item.appendChild(text("span", "tag", worker.role_display));
        list.appendChild(item);
      });
      infoEl.appendChild(list);
    }
    var link = text("a", "button", labels.regionPage);
    link.href = el.dataset.regionUrl + region.code + "/";
    infoEl.appendChild(link);
  }

  function outline(code) {
    if (highlight) { map.removeLayer(highlight); highlight = null; }
    getJSON("regions/" + code + "/boundary").then(function (feature) {
      highlight = L.geoJSON(feature, { style: styles.highlight }).addTo(map);
    }).catch(function () { /* a region without a boundary has nothing to outline */ });
  }

  function select(code, fit) {
    if (selected) { gridLayer && gridLayer.resetStyle(selected); selected = null; }
    if (highlight) { map.removeLayer(highlight); highlight = null; }
    if (gridLayer) {
      gridLayer.eachLayer(function (layer) {
        if (layer.feature.properties.code === code) { selected = layer; layer.setStyle(styles.selected); layer.bringToFront(); }
      });
    }
    return getJSON("regions/" + code).then(function (region) {
      showRegion(region);
      if (region.level !== "grid") { outline(region.code); }
      if (fit && region.bbox) {
        map.fitBounds([[region.bbox[1], region.bbox[0]], [region.bbox[3], region.bbox[2]]], { maxZoom: 16 });
      }
      infoEl.dataset.code = region.code;
    }).catch(function (error) { say(error.message); });
  }

  function addLayer(level, style, onEach) {
    return getJSON("regions/" + root + "/layer?level=" + level).then(function (collection) {
      return L.geoJSON(collection, { style: style, onEachFeature: onEach });
    });
  }

  function onGrid(feature, layer) {
    layer.on("click", function () { select(feature.properties.code, false); });
  }

  say(labels.loading);
  Promise.all([
    getJSON("regions/" + root + "/boundary"),
    addLayer("township", styles.township),
    addLayer("village", styles.village),
    addLayer("grid", styles.grid, onGrid)
  ]).then(function (loaded) {
    var outline = L.geoJSON(loaded[0], { style: styles.outline });
    gridLayer = loaded[3];
    gridLayer.addTo(map);
    loaded[2].addTo(map);
    loaded[1].addTo(map);
    outline.addTo(map);
    var overlays = {};
    overlays[labels.townships] = loaded[1];
    overlays[labels.villages] = loaded[2];
    overlays[labels.grids] = gridLayer;
    L.control.layers(null, overlays, { collapsed: false }).addTo(map);
    map.fitBounds(outline.getBounds());
    el.dataset.ready = "true";
    say("");
    if (el.dataset.focus) { select(el.dataset.focus, true); }
  }).catch(function (error) { say(labels.failed + " " + error.message); });

  document.getElementById("region-search").addEventListener("submit", function (event) {
    event.preventDefault();
    var query = document.getElementById("region-query").value.trim();
    if (!query) { return; }
    getJSON("regions?q=" + encodeURIComponent(query) + "&limit=20").then(function (found) {
      resultsEl.replaceChildren();
      if (!found.length) { resultsEl.appendChild(text("li", "muted", labels.noResults)); }
      found.forEach(function (region) {
        var item = text("li");
        var button = text("button", "link-button", region.name + " " + region.code);
        button.type = "button";
        button.dataset.code = region.code;
        button.addEventListener("click", function () { select(region.code, true); });
        item.appendChild(button);
        resultsEl.appendChild(item);
      });
    }).catch(function (error) { say(error.message); });
  });
})();
