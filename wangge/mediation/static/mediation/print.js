// The print page's button: print the sheet (no inline handlers under the site's CSP).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
