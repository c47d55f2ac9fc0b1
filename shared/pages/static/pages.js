// Shared mechanics of Plantline pages: the token kept in this tab, bearer headers on htmx and
// fetch requests, and problems (RFC 9457) put into words.
"use strict";

window.Plantline = (() => {
  const KEY = "plantline.token";
  const STANDARD = new Set(["type", "title", "status", "detail", "instance", "errors"]);
  const signInListeners = [];

  function token() {
    return sessionStorage.getItem(KEY);
  }

  function claims(value) {
    try {
      const part = value.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      return JSON.parse(atob(part + "===".slice((part.length + 3) % 4)));
    } catch (error) {
      return null;
    }
  }

  function notify(text, kind) {
    const notice = document.getElementById("notice");
    if (!notice) return;
    notice.textContent = text || "";
    notice.className = "notice " + (kind || "info");
    notice.hidden = !text;
  }

  function showSignedIn() {
    const needs = document.body.dataset.needsSignIn === "true";
    const current = token();
    const panel = document.getElementById("sign-in");
    if (panel) panel.hidden = !needs || Boolean(current);
    const who = document.getElementById("signed-in-as");
    const out = document.getElementById("sign-out");
    const about = current ? claims(current) : null;
    if (who) {
      who.textContent = about
        ? "Signed in as " + about.sub +
          (about.exp ? " until " + new Date(about.exp * 1000).toLocaleString() : "")
        : "";
    }
    if (out) out.hidden = !current;
  }

  function signIn(value) {
    sessionStorage.setItem(KEY, value.trim());
    showSignedIn();
    notify("");
    signInListeners.forEach((listener) => listener());
  }

  function signOut(message) {
    sessionStorage.removeItem(KEY);
    showSignedIn();
    if (message) notify(message, "error");
  }

  function words(value) {
    if (Array.isArray(value)) return value.map(words).join("; ");
    if (value && typeof value === "object") {
      return Object.entries(value)
        .map(([key, inner]) => key.replace(/_/g, " ") + " " + words(inner))
        .join(", ");
    }
    return String(value);
  }

  // A problem document as one sentence an operator can read: title, detail, and what else it says.
  function describe(problem, status) {
    if (!problem || typeof problem !== "object") {
      return status ? "The request failed (HTTP " + status + ")." : "The request failed.";
    }
    let text = problem.title || "HTTP " + status;
    if (problem.detail && problem.detail !== problem.title) text += ": " + problem.detail;
    const extras = Object.entries(problem)
      .filter(([key]) => !STANDARD.has(key) && !key.endsWith("_id") && !key.endsWith("_ids"))
      .map(([key, value]) => key.replace(/_/g, " ") + ": " + words(value));
    if (extras.length) text += " (" + extras.join("; ") + ")";
    return text;
  }

  function newKey() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // A JSON call with the tab's token: {ok, status, data, message}.
  async function call(method, url, body) {
    const headers = { Accept: "application/json, application/problem+json" };
    const current = token();
    if (current) headers.Authorization = "Bearer " + current;
    if (method !== "GET") headers["Idempotency-Key"] = newKey();
    const init = { method, headers };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(url, init);
    } catch (error) {
      return { ok: false, status: 0, data: null, message: "The service cannot be reached." };
    }
    const type = response.headers.get("content-type") || "";
    let data = null;
    if (type.includes("json")) data = await response.json().catch(() => null);
    else data = await response.text();
    if (response.ok) return { ok: true, status: response.status, data, message: "" };
    const message = describe(data, response.status);
    if (response.status === 401) signOut(message + " Sign in again.");
    return { ok: false, status: response.status, data, message };
  }

  document.addEventListener("htmx:configRequest", (event) => {
    const current = token();
    if (current) event.detail.headers.Authorization = "Bearer " + current;
  });
  document.addEventListener("htmx:beforeRequest", (event) => {
    if (!token()) event.preventDefault();
  });
  document.addEventListener("htmx:responseError", (event) => {
    const xhr = event.detail.xhr;
    let data = null;
    try {
      data = JSON.parse(xhr.responseText);
    } catch (error) {
      data = null;
    }
    const message = describe(data, xhr.status);
    if (xhr.status === 401) signOut(message + " Sign in again.");
    else notify(message, "error");
  });
  document.addEventListener("htmx:sendError", () => notify("The service cannot be reached.", "error"));

  document.addEventListener("DOMContentLoaded", () => {
    // A link may carry a token in its fragment (never sent to the server): keep it, drop it from the address.
    if (location.hash.startsWith("#token=")) {
      sessionStorage.setItem(KEY, decodeURIComponent(location.hash.slice(7)));
      history.replaceState(null, "", location.pathname + location.search);
    }
    const form = document.getElementById("sign-in-form");
    if (form) {
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const field = document.getElementById("sign-in-token");
        if (field.value.trim()) signIn(field.value);
        field.value = "";
      });
    }
    const out = document.getElementById("sign-out");
    if (out) out.addEventListener("click", () => signOut("Signed out."));
    showSignedIn();
  });

  return {
    token,
    call,
    notify,
    describe,
    onSignIn: (listener) => signInListeners.push(listener),
  };
})();
