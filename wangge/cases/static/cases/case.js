// A case's small map: its point and its grid, drawn from this platform's own API.
(function () {
  "use strict";
  var el = document.getElementById("case-map");
  if (!el) { return; }
  window.wanggeLeaflet(el, function () {
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
