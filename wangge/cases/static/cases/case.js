// A case's small map: its point and its grid, drawn from this platform's own API.
(function () {
  "use strict";
  var el = document.getElementById("case-map");
  if (!el) { return; }
  function loadLeaflet(done) {
    if (window.L) { done(); return; }
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = el.dataset.leafletCss;
    document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = el.dataset.leafletJs;
    script.onload = function () {
      // Leaflet finds its marker images from its stylesheet; loaded late, tell it directly.
      L.Icon.Default.imagePath = el.dataset.leafletCss.replace(/leaflet\.css$/, "images/");
      done();
    };
    document.head.appendChild(script);
  }
  loadLeaflet(function () {
    var point = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)];
    var map = L.map(el, { zoomSnap: 0.25 }).setView(point, 16);
    el.wanggeMap = map;
    map.attributionControl.setPrefix(false);
    L.marker(point).addTo(map);
    fetch(el.dataset.api + "regions/" + el.dataset.grid + "/boundary", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (feature) {
        if (!feature) { return; }
        var grid = L.geoJSON(feature, { style: { color: "#1f4e79", weight: 2, fillColor: "#d8e8d0", fillOpacity: 0.35 } }).addTo(map);
        map.fitBounds(grid.getBounds(), { maxZoom: 17 });
      });
  });
})();
