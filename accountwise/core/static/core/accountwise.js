// Show a visible message when an htmx request fails, instead of leaving the
// page unchanged with no explanation.
document.body.addEventListener("htmx:responseError", function (event) {
  var status = event.detail.xhr.status;
  var text = status === 403 ? "You do not have permission to do that."
    : status === 404 ? "That item no longer exists; reload the page."
    : "The server could not complete the request (HTTP " + status + "). Try again.";
  var box = document.createElement("div");
  box.className = "alert alert-danger alert-dismissible fade show";
  box.setAttribute("role", "alert");
  box.textContent = text;
  var close = document.createElement("button");
  close.type = "button";
  close.className = "btn-close";
  close.setAttribute("data-bs-dismiss", "alert");
  close.setAttribute("aria-label", "Close");
  box.appendChild(close);
  var main = document.getElementById("main");
  if (main) { main.prepend(box); }
});

// Behaviours that templates ask for with data attributes, because the Content
// Security Policy blocks inline event handlers such as onclick="...".

// <form data-aw-confirm="Delete ...?"> shows a confirmation dialog before it submits.
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute("data-aw-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// <button data-aw-dismiss-row> removes the table row it sits in.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-aw-dismiss-row]");
  if (button) {
    button.closest("tr").remove();
  }
});

// Escape inside an element with hx-trigger="aw:escape" fires that htmx trigger,
// which htmx's keyup[key=='Escape'] filter would do through eval.
document.addEventListener("keyup", function (event) {
  if (event.key !== "Escape") { return; }
  var target = event.target.closest("[hx-trigger='aw:escape']");
  if (target) {
    htmx.trigger(target, "aw:escape");
  }
});
