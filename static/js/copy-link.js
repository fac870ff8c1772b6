// "Copy" beside a share link's read-only box: copies the link and says so. The button's
// data-copy names the box, data-copied the element that says it worked. Without this script
// the buttons stay hidden and the box can be selected and copied by hand.
document.querySelectorAll("button[data-copy]").forEach((button) => {
  const box = document.getElementById(button.dataset.copy);
  const said = document.getElementById(button.dataset.copied);
  if (!box) {
    return;
  }
  const say = (text) => {
    if (said) {
      said.textContent = text;
    }
  };
  const copyBySelecting = () => {
    box.focus();
    box.select();
    return document.execCommand("copy");
  };
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(box.value);
      say("Copied.");
    } catch {
      say(copyBySelecting() ? "Copied." : "Press Ctrl+C (or Cmd+C) to copy the selected link.");
    }
  });
});
// A click in the box selects the whole link, ready to copy by hand.
document.querySelectorAll("input.share-url[readonly]").forEach((box) => {
  box.addEventListener("focus", () => box.select());
});
