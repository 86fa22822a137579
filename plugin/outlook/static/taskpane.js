/*
 * reftrack Outlook task pane: plain JavaScript, no build step.
 *
 * Reads the open item through Office.js (internetMessageId, conversationId), gets an Entra ID
 * access token for our API from MSAL's nested app authentication, and calls the reftrack API on
 * the same origin. Everything from the server is put in the page with textContent, never as HTML.
 */
(function () {
  "use strict";

  var state = { config: null, pca: null, account: null, askId: null, threadId: null };

  function $(id) { return document.getElementById(id); }

  function setStatus(text, isError) {
    var el = $("status");
    el.textContent = text;
    el.className = isError ? "error" : "";
  }

  function show(sectionId) {
    ["ask", "untracked", "unlinked"].forEach(function (id) { $(id).hidden = id !== sectionId; });
  }

  async function getToken() {
    var scopes = state.config.scopes;
    if (!state.pca) {
      state.pca = await window.msal.createNestablePublicClientApplication({
        auth: { clientId: state.config.clientId, authority: "https://login.microsoftonline.com/common" }
      });
    }
    try {
      var result = await state.pca.acquireTokenSilent({ scopes: scopes, account: state.account || undefined });
      state.account = result.account || state.account;
      return result.accessToken;
    } catch (silentError) {
      var popup = await state.pca.acquireTokenPopup({ scopes: scopes });
      state.account = popup.account || state.account;
      return popup.accessToken;
    }
  }

  async function api(method, path, body) {
    var token = await getToken();
    var response = await fetch(state.config.apiBase + path, {
      method: method,
      headers: { "Authorization": "Bearer " + token, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
    var data = await response.json().catch(function () { return {}; });
    if (!response.ok) {
      var message = (data && data.error && data.error.message) || ("The server answered " + response.status + ".");
      var failure = new Error(message);
      failure.status = response.status;
      throw failure;
    }
    return data;
  }

  function words(value) { return (value || "").replace(/_/g, " "); }

  function day(iso) {
    if (!iso) { return "—"; }
    var d = new Date(iso);
    return d.toLocaleDateString(undefined, { weekday: "short", year: "numeric", month: "short", day: "numeric" });
  }

  var STATE_LABELS = {
    awaiting_reply: "Waiting for a reply", agreed: "They agreed", done: "Done", declined: "Declined",
    needs_info: "They need more information", replied: "They replied", gone_cold: "Gone cold",
    closed: "Done (closed)", not_an_ask: "Not an ask"
  };

  function renderAsk(view) {
    state.askId = view.id;
    $("ask-subject").textContent = view.subject || "(no subject)";
    var pill = $("ask-state");
    pill.textContent = STATE_LABELS[view.state] || words(view.state);
    pill.className = "pill " + view.state;
    pill.setAttribute("data-state", view.state);
    $("ask-kind").textContent = words(view.kind);
    $("ask-asked").textContent = day(view.asked_at);
    $("ask-contacts").textContent = (view.contacts || []).join(", ") || "—";
    var overdue = view.next_action_due && new Date(view.next_action_due) < new Date();
    $("ask-next").textContent = view.next_action
      ? words(view.next_action) + (view.next_action_due ? " · due " + day(view.next_action_due) : "") +
        (overdue ? " (overdue)" : "")
      : "nothing to do";
    $("ask-snoozed").textContent = day(view.snoozed_until);
    $("ask-snoozed").hidden = $("ask-snoozed-label").hidden = !view.snoozed_until;
    var box = $("suggested-box");
    if (view.suggested) {
      $("suggested-subject").textContent = view.suggested.subject;
      $("suggested-body").textContent = view.suggested.body;
      box.hidden = false;
    } else {
      box.hidden = true;
    }
    show("ask");
  }

  async function load() {
    var item = Office.context.mailbox.item;
    if (!item) { setStatus("Open a message to see its referral ask."); show(null); return; }
    setStatus("Looking this thread up…");
    var query = new URLSearchParams();
    if (item.internetMessageId) { query.set("message_id", item.internetMessageId); }
    if (item.conversationId) { query.set("thread_key", item.conversationId); }
    try {
      var found = await api("GET", "/thread?" + query.toString());
      state.threadId = found.thread_id;
      if (found.ask) {
        renderAsk(found.ask);
        setStatus("Tracked referral ask.");
      } else {
        state.askId = null;
        show("untracked");
        setStatus("Not tracked.");
      }
    } catch (error) {
      if (error.status === 404) { show("unlinked"); setStatus(error.message); return; }
      show(null);
      setStatus(error.message, true);
    }
  }

  async function busy(button, work) {
    var buttons = document.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    try { await work(); } catch (error) { setStatus(error.message, true); }
    finally { buttons.forEach(function (b) { b.disabled = false; }); }
  }

  function wire() {
    document.querySelectorAll("[data-mark]").forEach(function (button) {
      button.addEventListener("click", function () {
        busy(button, async function () {
          var view = await api("PATCH", "/asks/" + state.askId, { mark: button.getAttribute("data-mark") });
          renderAsk(view);
          setStatus("Saved: " + (STATE_LABELS[view.state] || words(view.state)) + ".");
        });
      });
    });
    document.querySelectorAll("[data-snooze-days]").forEach(function (button) {
      button.addEventListener("click", function () {
        busy(button, async function () {
          var days = Number(button.getAttribute("data-snooze-days"));
          var view = await api("PATCH", "/asks/" + state.askId, { snooze_days: days });
          renderAsk(view);
          setStatus("Snoozed until " + day(view.snoozed_until) + ".");
        });
      });
    });
    $("track").addEventListener("click", function () {
      busy($("track"), async function () {
        var view = await api("POST", "/threads/" + state.threadId + "/track", { kind: $("track-kind").value });
        renderAsk(view);
        setStatus("Tracking this thread.");
      });
    });
    $("link").addEventListener("click", function () {
      busy($("link"), async function () {
        var started = await api("POST", "/link/outlook");
        if (Office.context.ui && Office.context.ui.displayDialogAsync) {
          Office.context.ui.displayDialogAsync(started.url, { height: 60, width: 40 });
        } else {
          window.open(started.url, "_blank", "noopener");
        }
        setStatus("Finish linking in the new window, then reopen this pane.");
      });
    });
    $("copy-suggested").addEventListener("click", function () {
      navigator.clipboard.writeText($("suggested-body").textContent).then(
        function () { setStatus("Suggested text copied."); },
        function () { setStatus("Copy failed; select the text and copy it by hand.", true); }
      );
    });
  }

  Office.onReady(async function () {
    wire();
    try {
      var response = await fetch("config.json");
      state.config = await response.json();
      if (!state.config.clientId) { setStatus("The server has no Entra app configured (serve.entra_client_id).", true); return; }
    } catch (error) {
      setStatus("Cannot reach the reftrack server; check your connection.", true);
      return;
    }
    if (Office.context.mailbox.addHandlerAsync && Office.EventType) {
      Office.context.mailbox.addHandlerAsync(Office.EventType.ItemChanged, function () { load(); });
    }
    load();
  });
})();
