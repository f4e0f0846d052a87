// The import job page: follows a running job without reloading the page. The element marked
// data-import-progress names the progress URL; its <progress> bar and the element marked
// data-progress-text take the figures. When the job ends, the page is loaded again to show
// the result. Without JavaScript, the page refreshes itself instead (<noscript> refresh).
(function () {
  "use strict";
  var box = document.querySelector("[data-import-progress]");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-import-progress");
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-progress-text]");
  var status = document.querySelector("[data-import-status]");
  var delay = 1500;

  function show(progress) {
    if (!progress.running) {
      window.location.reload();
      return;
    }
    bar.value = progress.percent;
    bar.textContent = progress.percent + "%";
    text.textContent = progress.text;
    if (status) {
      status.textContent = progress.status_label;
    }
    window.setTimeout(poll, delay);
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("progress " + response.status);
        }
        return response.json();
      })
      .then(show)
      .catch(function () {
        // A busy or restarting server: ask again, less often.
        window.setTimeout(poll, delay * 4);
      });
  }

  window.setTimeout(poll, delay);
})();
