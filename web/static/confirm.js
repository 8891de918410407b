// Forms marked data-confirm ask before they post, in the browser's own
// dialog, and send confirm=1 once the reader agrees. Without scripts the
// server asks instead, on a page of its own: the server does nothing that
// cannot be undone without confirm=1.
document.addEventListener("submit", function (e) {
  var form = e.target;
  var question = form.getAttribute("data-confirm");
  if (!question) return;
  if (!window.confirm(question)) {
    e.preventDefault();
    return;
  }
  var answer = document.createElement("input");
  answer.type = "hidden";
  answer.name = "confirm";
  answer.value = "1";
  form.appendChild(answer);
});
