// The navigation is a <details> menu, folded on narrow screens and open on
// wide ones, where its links stand in a row. app.css shows a closed menu's
// content where the browser knows ::details-content; this opens the menu on
// a wide screen in every browser, and folds it again when the screen turns
// narrow. Without scripts, a browser without ::details-content shows the
// menu's button on a wide screen too, and the menu opens at a click.
(function () {
  var menu = document.querySelector("header details.menu");
  if (!menu || !window.matchMedia) return;
  var wide = window.matchMedia("(min-width: 60em)");
  function fit() { menu.open = wide.matches; }
  fit();
  wide.addEventListener("change", fit);
})();
