// A browser whose preferred languages put one of the site's other languages before the page's
// own gets a small note offering this page in it (templates/includes/_language_hint.html),
// never a redirect. Closing it keeps it closed for a year (a cookie the server never reads).
(() => {
  if (document.cookie.split(/;\s*/).includes("language-hint=closed")) {
    return;
  }
  const page = document.documentElement.lang;
  const wanted = (navigator.languages || [navigator.language || ""]).map(
    (code) => code.toLowerCase().split("-")[0],
  );
  const pageRank = wanted.indexOf(page);
  for (const hint of document.querySelectorAll(".language-hint[data-language]")) {
    const rank = wanted.indexOf(hint.dataset.language);
    if (rank === -1 || (pageRank !== -1 && pageRank < rank)) {
      continue;
    }
    hint.hidden = false;
    hint.querySelector("[data-dismiss-hint]").addEventListener("click", () => {
      const secure = location.protocol === "https:" ? "; Secure" : "";
      document.cookie = `language-hint=closed; Max-Age=31536000; Path=/; SameSite=Lax${secure}`;
      hint.remove();
    });
    break;
  }
})();
