// "N left" under a textarea with a maxlength, kept up to date as one types: the textarea's
// data-count names the element that shows the number (the page renders it first, so the count
// is right without this script too).
document.querySelectorAll("textarea[maxlength][data-count]").forEach((area) => {
  const counter = document.getElementById(area.dataset.count);
  const most = Number(area.getAttribute("maxlength"));
  if (!counter || !most) {
    return;
  }
  const update = () => {
    counter.textContent = String(Math.max(0, most - area.value.length));
  };
  area.addEventListener("input", update);
  update();
});
