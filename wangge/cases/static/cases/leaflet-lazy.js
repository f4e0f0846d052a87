// Loads the platform's own Leaflet (script and stylesheet named on `el`) only when a page
// needs a map, so phones on a weak signal don't fetch it for nothing.
window.wanggeLeaflet = function (el, done) {
  "use strict";
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
};
