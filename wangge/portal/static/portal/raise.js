// The request form on a phone: a pin from the device's GPS or on the platform's own map
// (Leaflet, loaded only when asked for). Choosing a village moves the map to it. Without
// JavaScript the form works with the village list and an address.
(function () {
  "use strict";
  var form = document.getElementById("raise-form");
  if (!form) { return; }
  var lon = form.querySelector("[name=lon]");
  var lat = form.querySelector("[name=lat]");
  var status = document.getElementById("location-status");
  var gps = document.getElementById("use-gps");
  var pick = document.getElementById("pick-on-map");
  var clear = document.getElementById("clear-pin");
  var village = document.getElementById("id_village");
  var mapEl = document.getElementById("pin-map");
  var map = null, marker = null, outline = null;

  function say(text) { status.textContent = text; }

  function locate(lo, la) {
    fetch(mapEl.dataset.api + "locate?lon=" + lo + "&lat=" + la, { credentials: "same-origin" })
      .then(function (response) { return response.json().then(function (body) { return [response.ok, body]; }); })
      .then(function (pair) {
        var body = pair[1];
        if (pair[0]) {
          var names = (body.parents || []).map(function (p) { return p.name; });
          names.push(body.name);
          say(names.slice(-3).join(" › ") + " (" + body.code + ")");
        } else {
          say(body.message || "");
        }
      })
      .catch(function () { /* offline: the server checks the point on sending */ });
  }

  function setPoint(lo, la) {
    lon.value = lo.toFixed(6);
    lat.value = la.toFixed(6);
    say(lon.value + ", " + lat.value);
    clear.hidden = false;
    locate(lo, la);
    if (map) {
      if (marker) { marker.setLatLng([la, lo]); } else { marker = L.marker([la, lo]).addTo(map); }
    }
  }

  function focus(code) {
    if (!map) { return; }
    fetch(mapEl.dataset.api + "regions/" + code + "/boundary", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (feature) {
        if (!feature) { return; }
        if (outline) { map.removeLayer(outline); }
        outline = L.geoJSON(feature, { style: { color: "#1f4e79", weight: 2, fill: false }, interactive: false }).addTo(map);
        map.fitBounds(outline.getBounds());
        mapEl.dataset.focused = code;
      });
  }

  function showMap() {
    mapEl.hidden = false;
    window.wanggeLeaflet(mapEl, function () {
      map = L.map(mapEl, { zoomSnap: 0.25 });
      mapEl.wanggeMap = map;
      map.attributionControl.setPrefix(false);
      var api = mapEl.dataset.api;
      var root = mapEl.dataset.root;
      map.setView([34.58, 105.72], 10);
      fetch(api + "regions/" + root + "/layer?level=village", { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (collection) {
          var layer = L.geoJSON(collection, { style: { color: "#7a8f7a", weight: 0.6, fillColor: "#d8e8d0", fillOpacity: 0.4 }, interactive: false }).addTo(map);
          if (village.value) { focus(village.value); } else { map.fitBounds(layer.getBounds()); }
          if (lon.value && lat.value) { setPoint(+lon.value, +lat.value); }
        });
      map.on("click", function (event) { setPoint(event.latlng.lng, event.latlng.lat); });
    });
  }

  if (gps && navigator.geolocation) {
    gps.hidden = false;
    gps.addEventListener("click", function () {
      gps.disabled = true;
      navigator.geolocation.getCurrentPosition(function (position) {
        gps.disabled = false;
        setPoint(position.coords.longitude, position.coords.latitude);
      }, function (error) {
        gps.disabled = false;
        say(error.message);
      }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
    });
  }
  pick.hidden = false;
  pick.addEventListener("click", function () { if (!map) { showMap(); } });
  clear.addEventListener("click", function () {
    lon.value = ""; lat.value = "";
    if (marker) { map.removeLayer(marker); marker = null; }
    clear.hidden = true;
    say(clear.dataset.none || "");
  });
  if (lon.value && lat.value) { clear.hidden = false; }
  village.addEventListener("change", function () { if (village.value) { focus(village.value); } });
})();
