// The weekly reminder's time zone on the plan page: while the person has not chosen one (the
// page marks the field with data-detect-time-zone), the browser's own is filled in, and a note
// says so; nothing is saved until they press the form's button. The server checks the name.
// Without this script the field shows what was saved (UTC at first), and anyone can type another.
(() => {
  const field = document.querySelector("input[data-detect-time-zone]");
  if (!field) {
    return;
  }
  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    return;
  }
  // A browser that can't tell answers "Etc/Unknown" (or nothing): the saved value stays then.
  if (!zone || zone === "Etc/Unknown" || zone === field.value) {
    return;
  }
  field.value = zone;
  const note = field.parentElement.querySelector(".time-zone-detected");
  if (note) {
    note.hidden = false;
  }
})();
