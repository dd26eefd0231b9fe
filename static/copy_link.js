// The copy-link button of a completed briefing: copies this page's address. Where the clipboard
// API is missing (plain http on another host) or refused, it shows the address selected instead.
for (const box of document.querySelectorAll("[data-copy-link]")) {
  const button = box.querySelector("button");
  const field = box.querySelector("input");
  const status = box.querySelector("[role=status]");
  const url = window.location.href.split("#")[0];
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      if (!navigator.clipboard) throw new Error("no clipboard API");
      await navigator.clipboard.writeText(url);
      status.textContent = "Link copied";
    } catch {
      field.value = url;
      field.hidden = false;
      field.focus();
      field.select();
      status.textContent = "Press Ctrl+C (⌘C on a Mac) to copy the selected link";
    }
  });
}
