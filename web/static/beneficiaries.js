// The beneficiary picker of the activity form: typing a name or a tax code
// offers matching enterprises from the registry; choosing one adds its tax
// code to the list below. Without scripts, the list is typed by hand.
(function () {
  var search = document.getElementById("beneficiary-search");
  var choices = document.getElementById("beneficiary-choices");
  var codes = document.getElementById("beneficiary-codes");
  if (!search || !choices || !codes) return;
  var byLabel = {};
  var timer;
  search.addEventListener("input", function () {
    var chosen = byLabel[search.value];
    if (chosen) {
      var list = codes.value.split(/[\s,;]+/).filter(Boolean);
      if (list.indexOf(chosen) < 0) list.push(chosen);
      codes.value = list.join("\n");
      search.value = "";
      return;
    }
    clearTimeout(timer);
    var q = search.value.trim();
    if (q.length < 2) return;
    timer = setTimeout(function () {
      fetch("/api/v1/enterprises?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (found) {
          choices.textContent = "";
          byLabel = {};
          (found || []).forEach(function (e) {
            var label = e.tax_code + " — " + (e.name || "");
            byLabel[label] = e.tax_code;
            var option = document.createElement("option");
            option.value = label;
            choices.appendChild(option);
          });
        });
    }, 200);
  });
})();
