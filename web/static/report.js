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

// Downloads: a document takes seconds to make (a PDF about four), so the
// link fetches it while the page says it is being made, then hands the
// file to the browser and leaves a link to it; a failure is said beside
// the links. Without scripts the links download as plain links.
// The HTML preview is left a plain link: it opens a page, not a file, in a
// new tab that shows it is loading as any page does (and a failure as the
// error page); a line on this page would speak of work done in another tab.
(function () {
  var box = document.querySelector(".downloads");
  var status = document.getElementById("download-status");
  if (!box || !status || !window.fetch || !window.URL || !URL.createObjectURL) return;
  var working = false, offered = null;

  function say(text, failed) {
    status.hidden = false;
    status.className = "download-status" + (failed ? " error" : " working");
    status.setAttribute("role", failed ? "alert" : "status");
    status.textContent = text;
  }

  // What the server's error page says: its message, else its heading.
  function messageOf(html, code) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var el = doc.querySelector("#error-page [role=alert]") || doc.querySelector("#error-page h1") || doc.querySelector("[role=alert]");
    var text = el ? el.textContent.trim() : "";
    return text || "HTTP " + code;
  }

  function fileName(resp, link) {
    var m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(resp.headers.get("Content-Disposition") || "");
    if (m) {
      // A name the server encoded oddly still names the file it sent.
      try { return decodeURIComponent(m[1]); } catch (err) { return m[1]; }
    }
    return link.pathname.split("/").pop();
  }

  box.addEventListener("click", function (e) {
    var link = e.target.closest("a.download");
    if (!link || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    if (working) return; // one document at a time: the server makes them one by one too
    working = true;
    box.setAttribute("aria-busy", "true");
    link.classList.add("busy");
    say(box.getAttribute("data-busy").replace("%s", link.textContent.replace("⬇", "").trim()), false);
    fetch(link.href, { credentials: "same-origin" }).then(function (resp) {
      var type = resp.headers.get("Content-Type") || "";
      if (!resp.ok) {
        return resp.text().then(function (html) { throw new Error(messageOf(html, resp.status)); });
      }
      if (type.indexOf("text/html") === 0) {
        // Not a document (the sign-in page, when the session has ended):
        // let the browser follow the link as it would without the script.
        window.location.assign(link.href);
        return;
      }
      return resp.blob().then(function (blob) {
        if (offered) URL.revokeObjectURL(offered);
        offered = URL.createObjectURL(blob);
        var file = document.createElement("a");
        file.href = offered;
        file.download = fileName(resp, link);
        file.textContent = "⬇ " + file.download;
        file.className = "download-file";
        say(box.getAttribute("data-ready") + " ", false);
        status.className = "download-status ready";
        status.appendChild(file);
        file.click();
      });
    }).catch(function (err) {
      say(box.getAttribute("data-failed") + " " + (err && err.message ? err.message : ""), true);
    }).then(function () {
      working = false;
      box.removeAttribute("aria-busy");
      link.classList.remove("busy");
    });
  });
})();
