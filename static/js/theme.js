// The colour mode, applied before the page is painted (this file is loaded in <head>, without
// defer): Bootstrap's data-bs-theme on <html>, from the "theme" cookie (auto, light or dark;
// written by the switch in the footer, or by the server at log-in from the account), "auto"
// following the browser's prefers-color-scheme, live. Pages never vary by it on the server, so
// the anonymous page cache is not split. Then the footer's switch: pressed state, and for a
// visitor without an account (whose cached page has no form) the cookie is written here.
(() => {
  const root = document.documentElement;
  const modes = ["auto", "light", "dark"];
  const saved = (document.cookie.match(/(?:^|;\s*)theme=(\w+)/) || [])[1];
  const darkQuery = window.matchMedia("(prefers-color-scheme: dark)");
  let choice = modes.includes(saved) ? saved : "auto";

  const apply = () => {
    const mode = choice === "auto" ? (darkQuery.matches ? "dark" : "light") : choice;
    root.setAttribute("data-bs-theme", mode);
    document.querySelectorAll("button[data-theme-value]").forEach((button) => {
      button.setAttribute("aria-pressed", String(button.dataset.themeValue === choice));
    });
  };
  apply();
  darkQuery.addEventListener("change", apply);
  // Paper is white: a page printed from the dark mode prints in the light one.
  window.addEventListener("beforeprint", () => root.setAttribute("data-bs-theme", "light"));
  window.addEventListener("afterprint", apply);

  document.addEventListener("DOMContentLoaded", () => {
    const group = document.querySelector(".theme-switch");
    if (!group) {
      return;
    }
    group.hidden = false;
    // A signed-in person's buttons submit the form (the account keeps the choice); a
    // visitor's switch the mode here and keep it in the cookie for a year.
    if (!group.querySelector("form")) {
      group.querySelectorAll("button[data-theme-value]").forEach((button) => {
        button.addEventListener("click", () => {
          choice = button.dataset.themeValue;
          const secure = location.protocol === "https:" ? "; Secure" : "";
          document.cookie = `theme=${choice}; Max-Age=31536000; Path=/; SameSite=Lax${secure}`;
          apply();
        });
      });
    }
    apply();
  });
})();
