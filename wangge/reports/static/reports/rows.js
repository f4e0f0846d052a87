// Add a row to a list of rows (form definition fields and rules, table rows of a report):
// a button [data-add-row] names a <template> whose "__prefix__" becomes the next number, the
// container to append to, and the hidden input holding the count. Without JS the page keeps
// its fixed empty rows.
(function () {
  "use strict";
  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var template = document.getElementById(button.dataset.addRow);
      var target = document.getElementById(button.dataset.target);
      var count = document.getElementById(button.dataset.count);
      var limit = parseInt(button.dataset.limit || "1000", 10);
      var next = parseInt(count.value, 10) || 0;
      if (next >= limit) { return; }
      var html = template.innerHTML.replace(/__prefix__/g, String(next));
      var holder = document.createElement("tbody");
      if (target.tagName !== "TBODY") { holder = document.createElement("div"); }
      holder.innerHTML = html.trim();
      while (holder.firstChild) { target.appendChild(holder.firstChild); }
      count.value = String(next + 1);
    });
  });
})();
