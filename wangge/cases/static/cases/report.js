// The report form on a phone: the device's GPS (WGS-84), or a pin on a map of one's own
// grids (Leaflet, loaded only when asked for), and photos made smaller before sending.
// Without JavaScript the form still works with an address (and a grid code at the centre).
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) { return; }
  var lon = form.querySelector("[name=lon]");
  var lat = form.querySelector("[name=lat]");
  var crs = form.querySelector("[name=crs]");
  var status = document.getElementById("location-status");
  var gps = document.getElementById("use-gps");
  var pick = document.getElementById("pick-on-map");
  var mapEl = document.getElementById("pin-map");
  var labels = { gps: gps ? gps.textContent : "", point: status.dataset.point || "" };
  var map = null, marker = null;

  function say(text) { status.textContent = text; }

  function locate(lo, la) {
    fetch(mapEl.dataset.api + "locate?lon=" + lo + "&lat=" + la, { credentials: "same-origin" })
      .then(function (response) { return response.json().then(function (body) { return [response.ok, body]; }); })
      .then(function (pair) {
        var ok = pair[0], body = pair[1];
        if (ok) {
          var names = (body.parents || []).map(function (p) { return p.name; });
          names.push(body.name);
          say(names.slice(-3).join(" › ") + " (" + body.code + ")");
        } else {
          say(body.message || "");
        }
      })
      .catch(function () { /* offline: the server finds the grid on submit */ });
  }

  function setPoint(lo, la, system) {
    lon.value = lo.toFixed(6);
    lat.value = la.toFixed(6);
    crs.value = system;
    say(lon.value + ", " + lat.value);
    locate(lo, la);
    if (map) {
      if (marker) { marker.setLatLng([la, lo]); } else { marker = L.marker([la, lo]).addTo(map); }
    }
  }

  if (gps && navigator.geolocation) {
    gps.hidden = false;
    gps.addEventListener("click", function () {
      gps.disabled = true;
      navigator.geolocation.getCurrentPosition(function (position) {
        gps.disabled = false;
        // The Geolocation API gives WGS-84, as the device's GPS does.
        setPoint(position.coords.longitude, position.coords.latitude, "wgs84");
      }, function (error) {
        gps.disabled = false;
        say(error.message);
      }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
    });
  }

  function showMap() {
    mapEl.hidden = false;
    window.wanggeLeaflet(mapEl, function () {
      map = L.map(mapEl, { zoomSnap: 0.25 });
      mapEl.wanggeMap = map;
      map.attributionControl.setPrefix(false);
      var root = mapEl.dataset.root;
      var api = mapEl.dataset.api;
      fetch(api + "regions/" + root + "/boundary", { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (feature) {
          var outline = L.geoJSON(feature, { style: { color: "#1f4e79", weight: 2, fill: false } }).addTo(map);
          map.fitBounds(outline.getBounds());
          if (lon.value && lat.value && crs.value === "wgs84") { setPoint(+lon.value, +lat.value, "wgs84"); }
        });
      if (root.length < 15) {
        fetch(api + "regions/" + root + "/layer?level=grid", { credentials: "same-origin" })
          .then(function (r) { return r.json(); })
          .then(function (collection) {
            L.geoJSON(collection, { style: { color: "#7a8f7a", weight: 0.6, fillColor: "#d8e8d0", fillOpacity: 0.4 }, interactive: false }).addTo(map);
          });
      }
      map.on("click", function (event) { setPoint(event.latlng.lng, event.latlng.lat, "wgs84"); });
    });
  }

  if (pick && mapEl) {
    pick.hidden = false;
    pick.addEventListener("click", function () { if (!map) { showMap(); } });
  }

  // Photos: shrink to at most 1600 px on the long side as JPEG before sending, so a report
  // with photos goes through on a weak signal. The server checks what arrives either way.
  var photos = form.querySelector("[name=photos]");
  var MAX = 1600;
  function shrink(file) {
    return new Promise(function (resolve) {
      if (!/^image\/(jpeg|png|webp)$/.test(file.type) || !window.createImageBitmap) { resolve(file); return; }
      createImageBitmap(file).then(function (bitmap) {
        var scale = Math.min(1, MAX / Math.max(bitmap.width, bitmap.height));
        if (scale === 1 && file.size < 1500000) { resolve(file); return; }
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(bitmap.width * scale);
        canvas.height = Math.round(bitmap.height * scale);
        canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        canvas.toBlob(function (blob) {
          resolve(blob ? new File([blob], file.name.replace(/\.\w+$/, "") + ".jpg", { type: "image/jpeg" }) : file);
        }, "image/jpeg", 0.82);
      }, function () { resolve(file); });
    });
  }
  if (photos && window.DataTransfer) {
    photos.addEventListener("change", function () {
      var files = Array.prototype.slice.call(photos.files);
      Promise.all(files.map(shrink)).then(function (smaller) {
        var transfer = new DataTransfer();
        smaller.forEach(function (file) { transfer.items.add(file); });
        photos.files = transfer.files;
      });
    });
  }
})();

// The chosen category's extra fields (涉及人数, 事件规模, 相关人员…), drawn under the category.
(function () {
  "use strict";
  var holder = document.getElementById("extra-fields");
  var select = document.getElementById("id_category");
  var data = document.getElementById("extra-field-sets");
  if (!holder || !select || !data) { return; }
  var sets = JSON.parse(data.textContent);
  var values = JSON.parse(document.getElementById("extra-values").textContent || "{}");
  var words = holder.dataset;

  function input(field) {
    var id = "extra-" + field.name;
    var wrap = document.createElement("div");
    wrap.className = field.type === "boolean" ? "field field-check" : "field";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = field.label + (field.type === "money_fen" ? (words.yuan || "") : "");
    var control;
    if (field.type === "choice") {
      control = document.createElement("select");
      control.appendChild(new Option("—", ""));
      field.choices.forEach(function (choice) { control.appendChild(new Option(choice, choice)); });
    } else {
      control = document.createElement("input");
      control.type = field.type === "boolean" ? "checkbox" : (field.type === "text" || field.type === "person" ? "text" : "number");
      if (field.type === "integer") { control.min = "0"; control.step = "1"; }
      if (field.type === "money_fen") { control.min = "0"; control.step = "0.01"; }
      if (field.type === "boolean") { control.value = "true"; }
      if (field.type === "person") { control.placeholder = words.person || ""; control.autocomplete = "off"; }
    }
    control.id = id;
    control.name = "extra_" + field.name + (field.type === "money_fen" ? "_yuan" : "");
    var old = values[field.name];
    if (old !== undefined) {
      if (field.type === "boolean") { control.checked = true; }
      else if (field.type === "money_fen") { control.value = (old / 100).toFixed(2); }
      else { control.value = old; }
    }
    if (field.type === "boolean") { label.prepend(control); wrap.appendChild(label); }
    else { wrap.appendChild(label); wrap.appendChild(control); }
    return wrap;
  }

  function draw() {
    holder.replaceChildren();
    var index = sets.of[select.value];
    if (index === undefined) { return; }
    sets.sets[index].forEach(function (field) { holder.appendChild(input(field)); });
  }
  select.addEventListener("change", draw);
  draw();
})();
