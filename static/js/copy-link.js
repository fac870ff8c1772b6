// "Copy" beside a share link's read-only box (or beside a shortened link whose data-full-url
// holds the whole address, as on the profile): copies the link and says so. The button's
// data-copy names the box or link, data-copied the element that says it worked; what it says comes
// from the page, in the page's language: data-copied-text once copied, data-by-hand-text when
// the browser refused (so this script holds no words to translate). Without this script the
// buttons stay hidden and the box can be selected and copied by hand.
document.querySelectorAll("button[data-copy]").forEach((button) => {
  const box = document.getElementById(button.dataset.copy);
  const said = document.getElementById(button.dataset.copied);
  if (!box) {
    return;
  }
  const say = (text) => {
    if (said && text) {
      said.textContent = text;
    }
  };
  const text = box.dataset.fullUrl || box.value;
  const copyBySelecting = () => {
    if (typeof box.select !== "function") {
      return false;
    }
    box.focus();
    box.select();
    return document.execCommand("copy");
  };
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(text);
      say(button.dataset.copiedText);
    } catch {
      say(copyBySelecting() ? button.dataset.copiedText : button.dataset.byHandText);
    }
  });
});
// A click in the box selects the whole link, ready to copy by hand.
document.querySelectorAll("input.share-url[readonly]").forEach((box) => {
  box.addEventListener("focus", () => box.select());
});
