// Warn a signed-in user before an idle session ends, and let them stay signed in
// (WCAG 2.2.1 Timing Adjustable). The server's idle limit is the source of truth.

function csrfToken() {
  const field = document.querySelector("input[name=csrfmiddlewaretoken]");
  return field ? field.value : "";
}

export function startSessionTimeoutWarning(dialog) {
  if (!dialog || typeof dialog.showModal !== "function") return;
  const idleMs = Number(dialog.dataset.idleSeconds) * 1000;
  const warningMs = Number(dialog.dataset.warningSeconds) * 1000;
  const remaining = dialog.querySelector("#session-timeout-remaining");
  let warnTimer;
  let endTimer;
  let countdown;
  let returnFocusTo = null;

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    clearInterval(countdown);
    const warnAt = Math.max(idleMs - warningMs, 0);
    warnTimer = setTimeout(warn, warnAt);
    endTimer = setTimeout(() => {
      window.location.href = dialog.dataset.signedOutUrl;
    }, idleMs);
  }

  function warn() {
    returnFocusTo = document.activeElement;
    const endsAt = Date.now() + warningMs;
    const tick = () => {
      const minutes = Math.max(Math.ceil((endsAt - Date.now()) / 60000), 1);
      remaining.textContent = minutes === 1 ? "1 minute" : `${minutes} minutes`;
    };
    tick();
    countdown = setInterval(tick, 20000);
    dialog.showModal();
    dialog.querySelector("#session-timeout-stay").focus();
  }

  async function staySignedIn() {
    const response = await fetch(dialog.dataset.keepAliveUrl, {
      method: "POST",
      headers: { "X-CSRFToken": csrfToken() },
      credentials: "same-origin",
    });
    if (!response.ok) {
      window.location.href = dialog.dataset.signedOutUrl;
      return;
    }
    dialog.close();
    if (returnFocusTo) returnFocusTo.focus();
    schedule();
  }

  dialog.querySelector("#session-timeout-stay").addEventListener("click", staySignedIn);
  dialog.addEventListener("cancel", (event) => {
    // Escape means "stay signed in", not "let me be signed out without warning".
    event.preventDefault();
    staySignedIn();
  });
  schedule();
}
