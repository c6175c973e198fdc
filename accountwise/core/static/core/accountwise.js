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
