// Find a child as you type: asks the server for the results part of the same search page
// and shows it under the box. Without JavaScript the form is an ordinary submitted search.
const WAIT_MS = 250;
const MIN_LENGTH = 2;

export function startSearchAsYouType(form) {
  if (!form || !window.fetch || !window.AbortController) return;
  const input = form.querySelector("input[name='q']");
  const results = document.getElementById(form.dataset.results);
  const status = document.getElementById(form.dataset.status);
  if (!input || !results) return;
  let timer;
  let inFlight;

  async function search() {
    const query = input.value.trim();
    if (query.length < MIN_LENGTH) return;
    if (inFlight) inFlight.abort();
    inFlight = new AbortController();
    const url = new URL(form.action, window.location.href);
    url.searchParams.set("q", query);
    const pageUrl = url.toString();
    url.searchParams.set("fragment", "results");
    try {
      const response = await fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
        signal: inFlight.signal,
      });
      if (!response.ok) return;
      results.innerHTML = await response.text();
      window.history.replaceState(null, "", pageUrl);
      const heading = results.querySelector("[data-count-text]");
      if (status && heading) status.textContent = heading.dataset.countText;
    } catch (error) {
      if (error.name !== "AbortError") throw error;
    }
  }

  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, WAIT_MS);
  });
}
