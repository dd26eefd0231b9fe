// Shows when the page has lost its live connection; EventSource reconnects by itself.
document.addEventListener("htmx:sseError", () => {
  document.getElementById("connection-lost")?.removeAttribute("hidden");
});
document.addEventListener("htmx:sseOpen", () => {
  document.getElementById("connection-lost")?.setAttribute("hidden", "");
});
