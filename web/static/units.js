// The unit fields of large trees: typing a code or a few letters of a name
// offers up to 20 matching units from the server; the field sends the
// chosen unit's code. Without scripts, the code (or a name only one unit
// holds) is typed and the server reads it.
(function () {
  document.querySelectorAll("input[data-unit-search]").forEach(function (field) {
    if (field.dataset.unitSearchReady) return;
    field.dataset.unitSearchReady = "1";
    var choices = document.getElementById(field.getAttribute("list"));
    if (!choices) return;
    var timer;
    field.addEventListener("input", function () {
      clearTimeout(timer);
      var q = field.value.trim();
      if (q.length < 2) return;
      timer = setTimeout(function () {
        fetch("/api/v1/units/search?q=" + encodeURIComponent(q), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (found) {
            choices.textContent = "";
            (found || []).forEach(function (u) {
              var option = document.createElement("option");
              option.value = u.code;
              option.textContent = u.name;
              choices.appendChild(option);
            });
          });
      }, 200);
    });
  });
})();
