// "N left" under a textarea with a most (data-max), kept up to date as one types: the textarea's
// data-count names the element that shows the number (the page renders it first, so the count
// is right without this script too). Characters are counted as the server counts them
// (core/text.py): as a person sees them, so an accented letter, a flag or an emoji family is
// one. That is why there is no maxlength: browsers count UTF-16 units there, and would stop a
// comment of emoji at a fraction of what the server accepts.
const segmenter = "Segmenter" in Intl ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;

function visibleLength(text) {
  const normalized = text.normalize("NFC");
  if (!segmenter) {
    return Array.from(normalized).length;
  }
  let count = 0;
  for (const _ of segmenter.segment(normalized)) {
    count += 1;
  }
  return count;
}

document.querySelectorAll("textarea[data-max][data-count]").forEach((area) => {
  const counter = document.getElementById(area.dataset.count);
  const most = Number(area.dataset.max);
  if (!counter || !most) {
    return;
  }
  const update = () => {
    counter.textContent = String(Math.max(0, most - visibleLength(area.value)));
  };
  area.addEventListener("input", update);
  update();
});
