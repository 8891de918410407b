// The report page's helpers: a placeholder button inserts its word in
// braces where the cursor was in the last field edited, and "use this
// text" copies last year's text into its field. Without scripts, both are
// typed or copied by hand.
(function () {
  var form = document.querySelector("form.report-texts");
  if (!form) return;
  var last = null;
  form.addEventListener("focusin", function (e) {
    if (e.target.matches("textarea:not([hidden]), input[name]")) last = e.target;
  });
  document.querySelectorAll("button.insert").forEach(function (b) {
    b.addEventListener("click", function () {
      if (!last) return;
      var token = b.getAttribute("data-token");
      var start = last.selectionStart, end = last.selectionEnd;
      last.value = last.value.slice(0, start) + token + last.value.slice(end);
      last.focus();
      last.setSelectionRange(start + token.length, start + token.length);
    });
  });
  document.querySelectorAll("button.use-previous").forEach(function (b) {
    b.addEventListener("click", function () {
      var field = form.querySelector('[name="' + b.getAttribute("data-for") + '"]');
      var text = b.parentNode.querySelector("textarea.previous-text");
      if (field && text) field.value = text.value;
    });
  });
})();
