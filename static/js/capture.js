// Event capture (consultation/staff/capture.html): residents answer on a tablet with no
// connection; their answers wait on the tablet, encrypted, until staff send them.
//
// Answers: the moment a resident sends them, they are sealed for the portal alone
// (consultation/sealing.py): ECDH on P-256 between a key pair made for that one response,
// whose private half is never kept, and the portal's public key; HKDF-SHA-256 into an
// AES-256-GCM key; the response's id bound in. Neither this tablet nor anyone holding it can
// open them again, whatever PIN they try; only the portal can.
//
// The staff PIN (never stored) unlocks the tablet between residents: stretched by PBKDF2,
// it unwraps a data key that keeps the event's name. Only the wrapped key, its salt and
// nonce are stored; the data key lives in this page's memory while the tablet is unlocked,
// and is dropped whenever it locks (after each resident, on "Lock", on closing the page).
//
// Sending: every response carries an id made here (crypto.randomUUID); the server saves each
// id once, so sending again after a cut, or from two tablets, never doubles a response.

const root = document.querySelector("[data-capture]");
const config = JSON.parse(document.getElementById("capture-config").textContent);
const PBKDF2_ROUNDS = 600000;
const SEAL_PURPOSE = "dit-portal event capture v1"; // as consultation/sealing.py
const sections = [...root.querySelectorAll("[data-state]")];
const blocks = [...root.querySelectorAll("[data-language]")];
let dataKey = null; // only while unlocked
let language = null; // the language the resident chose, and its pages
let pages = [];
let current = 0;

// --- IndexedDB -------------------------------------------------------------------------

function openDatabase() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(config.database, 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      for (const name of ["settings", "waiting", "sent", "refused"]) {
        db.createObjectStore(name, { keyPath: name === "settings" ? "name" : "id" });
      }
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function store(name, mode, work) {
  const db = await openDatabase();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(name, mode);
    const result = work(transaction.objectStore(name));
    transaction.oncomplete = () => {
      db.close();
      resolve(result && "result" in result ? result.result : result);
    };
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error); // the tablet's storage is full
  });
}

const read = (name, key) => store(name, "readonly", (s) => s.get(key));
const readAll = (name) => store(name, "readonly", (s) => s.getAll());
const write = (name, value) => store(name, "readwrite", (s) => s.put(value));
const remove = (name, keys) => store(name, "readwrite", (s) => keys.forEach((k) => s.delete(k)));

// --- Keys ------------------------------------------------------------------------------

const encoder = new TextEncoder();

async function pinKey(pin, salt) {
  const material = await crypto.subtle.importKey("raw", encoder.encode(pin), "PBKDF2", false, [
    "deriveKey",
  ]);
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", salt, iterations: PBKDF2_ROUNDS, hash: "SHA-256" },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["wrapKey", "unwrapKey"],
  );
}

async function setUp(pin, event) {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const fresh = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, true, [
    "encrypt",
    "decrypt",
  ]);
  const wrapped = await crypto.subtle.wrapKey("raw", fresh, await pinKey(pin, salt), {
    name: "AES-GCM",
    iv,
  });
  await write("settings", { name: "key", salt, iv, wrapped });
  dataKey = fresh;
  await setEvent(event);
  dataKey = null;
}

// The event's name is kept sealed too, and sealed into each resident's answers as they are
// saved: a new event's name never relabels answers given at the last one.
async function setEvent(name) {
  await write("settings", { name: "event", ...(await seal(name)) });
}

async function eventName() {
  const found = await read("settings", "event");
  return found ? unseal(found) : "";
}

async function unlock(pin) {
  const found = await read("settings", "key");
  try {
    dataKey = await crypto.subtle.unwrapKey(
      "raw",
      found.wrapped,
      await pinKey(pin, found.salt),
      { name: "AES-GCM", iv: found.iv },
      { name: "AES-GCM", length: 256 },
      false,
      ["encrypt", "decrypt"],
    );
    return true;
  } catch {
    return false; // the wrong PIN: the wrapped key does not open
  }
}

async function seal(value) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv },
    dataKey,
    encoder.encode(JSON.stringify(value)),
  );
  return { iv, data };
}

const fromBase64 = (text) =>
  Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
const toBase64 = (bytes) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

// ``value`` sealed for the portal, as ``{id, key, ephemeral, iv, data}``.
async function sealForPortal(id, value) {
  const curve = { name: "ECDH", namedCurve: "P-256" };
  const portal = await crypto.subtle.importKey(
    "raw",
    fromBase64(config.portal_key.point),
    curve,
    false,
    [],
  );
  const mine = await crypto.subtle.generateKey(curve, false, ["deriveBits"]);
  const shared = await crypto.subtle.deriveBits(
    { name: "ECDH", public: portal },
    mine.privateKey,
    256,
  );
  const ephemeral = await crypto.subtle.exportKey("raw", mine.publicKey);
  const key = await crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: ephemeral, info: encoder.encode(SEAL_PURPOSE) },
    await crypto.subtle.importKey("raw", shared, "HKDF", false, ["deriveKey"]),
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt"],
  );
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(id) },
    key,
    encoder.encode(JSON.stringify(value)),
  );
  return {
    id,
    key: config.portal_key.id,
    ephemeral: toBase64(ephemeral),
    iv: toBase64(iv),
    data: toBase64(data),
  };
}

async function unseal(record) {
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: record.iv }, dataKey, record.data);
  return JSON.parse(new TextDecoder().decode(plain));
}

// --- What is shown ---------------------------------------------------------------------

function show(state) {
  sections.forEach((section) => {
    section.hidden = section.dataset.state !== state;
  });
  const heading = root.querySelector(`[data-state="${state}"] h2`);
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
}

function say(name, text) {
  const place = root.querySelector(`[data-message="${name}"]`);
  place.textContent = text;
  place.hidden = !text;
}

async function counts() {
  const [waiting, sent, refused] = await Promise.all(["waiting", "sent", "refused"].map(readAll));
  root.querySelector("[data-count=waiting]").textContent = String(waiting.length);
  root.querySelector("[data-count=sent]").textContent = String(sent.length);
  root.querySelector("[data-count=refused]").textContent = String(refused.length);
  // No new resident once the consultation has closed; what waits can still be sent.
  root.querySelector("[data-action=start]").hidden = Date.now() >= Date.parse(config.closes_at);
  root.querySelector("[data-message=closed]").hidden = Date.now() < Date.parse(config.closes_at);
  if (dataKey) root.querySelector("[data-event-name]").textContent = await eventName();
}

function lock() {
  dataKey = null;
  root.querySelector("[data-event-name]").textContent = "";
  root.querySelector("[name=unlock_pin]").value = "";
  show("locked");
}

// --- A resident's answers --------------------------------------------------------------

function choose(code) {
  language = code;
  const block = blocks.find((b) => b.dataset.language === code);
  blocks.forEach((b) => {
    b.hidden = b !== block;
  });
  pages = [...block.querySelectorAll("[data-page]")];
  clearAnswers();
  show("answering");
  showPage(0);
}

function showPage(index) {
  current = index;
  pages.forEach((page, n) => {
    page.hidden = n !== index;
  });
  const heading = pages[index].querySelector("h2");
  heading.setAttribute("tabindex", "-1");
  heading.focus();
}

function pageErrors(page) {
  const errors = [];
  for (const rule of config.rules[language][page.dataset.page] || []) {
    const given = rule.fields.some((name) =>
      [...page.querySelectorAll(`[name="${name}"]`)].some((input) =>
        input.type === "checkbox" || input.type === "radio" ? input.checked : input.value.trim(),
      ),
    );
    if (!given) errors.push(rule);
  }
  return errors;
}

function showErrors(page, errors) {
  // As the questionnaire online: a summary at the top, linked to each question, and the
  // message beside the question.
  for (const group of page.querySelectorAll(".govuk-form-group--error")) {
    group.classList.remove("govuk-form-group--error");
  }
  for (const message of page.querySelectorAll("[data-inline-error]")) message.remove();
  const summary = page.querySelector("[data-errors]");
  const list = summary.querySelector("ul");
  list.replaceChildren(
    ...errors.map((rule) => {
      const input = page.querySelector(`[name="${rule.fields[0]}"]`);
      const group = input.closest(".govuk-form-group");
      const message = document.createElement("p");
      message.className = "govuk-error-message";
      message.dataset.inlineError = "";
      message.id = `${input.id}-error`;
      const hidden = document.createElement("span");
      hidden.className = "govuk-visually-hidden";
      hidden.textContent = `${page.dataset.errorPrefix} `;
      message.append(hidden, rule.message);
      const place = group.querySelector(".govuk-hint") || group.querySelector("legend, label");
      place.after(message);
      group.classList.add("govuk-form-group--error");
      const described = group.querySelector("fieldset") || input;
      described.setAttribute(
        "aria-describedby",
        [described.getAttribute("aria-describedby"), message.id].filter(Boolean).join(" "),
      );
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = `#${input.id}`;
      link.textContent = rule.message;
      item.append(link);
      return item;
    }),
  );
  summary.hidden = errors.length === 0;
  if (errors.length) summary.focus();
}

function answers() {
  const found = {};
  for (const page of pages) {
    for (const input of page.querySelectorAll("input, select, textarea")) {
      if (!input.name || input.name === "website") continue;
      if (input.type === "checkbox") {
        found[input.name] = found[input.name] || [];
        if (input.checked) found[input.name].push(input.value);
      } else if (input.type === "radio") {
        if (input.checked) found[input.name] = input.value;
        else found[input.name] = found[input.name] || "";
      } else {
        found[input.name] = input.value;
      }
    }
  }
  return found;
}

function clearAnswers() {
  for (const form of root.querySelectorAll("[data-page] form")) form.reset();
  root.querySelectorAll("[data-page]").forEach((page) => showErrors(page, []));
}

async function finish() {
  const response = {
    id: crypto.randomUUID(),
    given_at: new Date().toISOString(),
    language,
    version: "standard",
    answers: answers(),
  };
  const event = await eventName();
  await write("waiting", await sealForPortal(response.id, { event, response }));
  clearAnswers();
  dataKey = null; // the next person starts clean: staff unlock again
  await counts();
  const block = blocks.find((b) => b.dataset.language === language);
  const thanks = block.querySelector("[data-thanks]").cloneNode(true);
  thanks.hidden = false;
  const shown = root.querySelector("[data-thanks-shown]");
  shown.replaceChildren(thanks);
  shown.lang = block.lang;
  shown.dir = block.dir;
  show("thanks");
}

// --- Sending ---------------------------------------------------------------------------

async function freshToken() {
  // The CSRF token of the sign-in now (the page shown may have been kept from an earlier
  // one); 401, or the second-factor page, once the sign-in has run out.
  const answer = await fetch(config.token, {
    cache: "no-store",
    credentials: "same-origin",
    redirect: "manual",
  });
  return answer.status === 200 ? (await answer.json()).token : null;
}

let sending = null;

// One send at a time: coming back online, unlocking and the button may ask together.
function send() {
  sending = sending || sendWaiting().finally(() => {
    sending = null;
  });
  return sending;
}

// Sending needs no PIN: what waits is sealed for the portal, and goes whenever there is a
// connection and a staff sign-in, the tablet locked or not.
async function sendWaiting() {
  const waiting = await readAll("waiting");
  if (!waiting.length) {
    say("sync", config.text.nothing);
    return;
  }
  say("sync", config.text.sending);
  let done = 0;
  let refused = 0;
  try {
    const token = await freshToken();
    if (!token) {
      say("sync", config.text.signIn);
      return;
    }
    for (const records of batches(waiting)) {
      const outcome = await post(token, records);
      if (outcome.status === 200) {
        const { saved, already } = await outcome.json();
        await settle([...saved, ...already]);
        done += saved.length + already.length;
      } else if (outcome.status === 400) {
        // Answers the portal will not take (a changed list, a tablet's clock far out) are
        // put aside, still sealed, for staff to look into; the rest go again now.
        const { problems } = await outcome.json();
        const named = records.filter((r) => r.id in problems);
        if (!named.length) {
          refused += records.length;
          continue;
        }
        await setAside(named);
        refused += named.length;
        const rest = records.filter((r) => !(r.id in problems));
        if (rest.length) {
          const again = await post(token, rest);
          if (again.status === 200) {
            const { saved, already } = await again.json();
            await settle([...saved, ...already]);
            done += saved.length + already.length;
          }
        }
      } else {
        say("sync", config.text.signIn); // 401, 403, or a redirect to sign in
        return;
      }
    }
  } catch {
    say("sync", config.text.offline);
    await counts();
    return;
  }
  const parts = [config.text.sent.replace("%(n)s", String(done))];
  if (refused) parts.push(config.text.refused.replace("%(n)s", String(refused)));
  say("sync", parts.join(" "));
  await counts();
}

// The waiting answers in batches the portal takes at once: by number, and by size (sealed
// answers are ASCII: a character is a byte).
function batches(waiting) {
  const room = config.batch_bytes - 1024; // for {"sealed": […]} around them
  const found = [];
  let batch = [];
  let size = 0;
  for (const record of waiting) {
    const length = JSON.stringify(record).length + 1;
    if (batch.length && (batch.length === config.batch || size + length > room)) {
      found.push(batch);
      batch = [];
      size = 0;
    }
    batch.push(record);
    size += length;
  }
  if (batch.length) found.push(batch);
  return found;
}

async function post(token, records) {
  return fetch(config.sync, {
    method: "POST",
    credentials: "same-origin",
    redirect: "manual",
    headers: { "Content-Type": "application/json", "X-CSRFToken": token },
    body: JSON.stringify({ sealed: records }),
  });
}

async function settle(ids) {
  await remove("waiting", ids);
  await Promise.all(ids.map((id) => write("sent", { id, at: new Date().toISOString() })));
}

async function setAside(records) {
  await remove("waiting", records.map((r) => r.id));
  await Promise.all(records.map((r) => write("refused", r)));
}

// --- Wiring ----------------------------------------------------------------------------

root.querySelector("[data-form=setup]").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const pin = form.elements.pin.value;
  if (!/^\d{6,}$/.test(pin) || pin !== form.elements.pin_again.value) {
    say("setup", config.text.pinRules);
    return;
  }
  if (!form.elements.event.value.trim()) {
    say("setup", config.text.eventMissing);
    return;
  }
  await setUp(pin, form.elements.event.value.trim());
  form.reset();
  say("setup", "");
  await counts();
  lock();
});

root.querySelector("[data-form=unlock]").addEventListener("submit", async (event) => {
  event.preventDefault();
  if (await unlock(event.currentTarget.elements.unlock_pin.value)) {
    say("unlock", "");
    await counts();
    show("staff");
    if (navigator.onLine) await send(); // what waited while the tablet was locked goes now
  } else {
    say("unlock", config.text.wrongPin);
  }
});

root.querySelector("[data-form=event]").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget; // gone from the event once it has been handled
  const name = form.elements.new_event.value.trim();
  if (!name) {
    say("event", config.text.eventMissing);
    return;
  }
  await setEvent(name);
  form.reset();
  say("event", "");
  await counts();
});

// A tablet left alone locks itself, and a resident's half-finished answers are cleared.
const IDLE_MINUTES = 10;
let idle = null;
function stillHere() {
  clearTimeout(idle);
  idle = setTimeout(
    () => {
      if (dataKey || !root.querySelector('[data-state="answering"]').hidden) {
        clearAnswers();
        lock();
      }
    },
    IDLE_MINUTES * 60 * 1000,
  );
}
for (const kind of ["pointerdown", "keydown", "input"]) {
  document.addEventListener(kind, stillHere, { passive: true });
}

root.querySelector("[data-action=start]").addEventListener("click", () => {
  if (blocks.length > 1) show("choose");
  else choose(blocks[0].dataset.language);
});
for (const button of root.querySelectorAll("[data-choose]")) {
  button.addEventListener("click", () => choose(button.dataset.choose));
}
root.querySelector("[data-action=send]").addEventListener("click", send);
root.querySelector("[data-action=lock]").addEventListener("click", lock);
root.querySelector("[data-action=unlock-next]").addEventListener("click", lock);
for (const back of root.querySelectorAll("[data-page-back]")) {
  back.addEventListener("click", () => showPage(current - 1));
}

for (const page of root.querySelectorAll("[data-page]")) {
  page.querySelector("form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const errors = pageErrors(page);
    showErrors(page, errors);
    if (errors.length) return;
    if (current + 1 < pages.length) showPage(current + 1);
    else await finish();
  });
}

window.addEventListener("online", send);

if (navigator.storage && navigator.storage.persist) {
  navigator.storage.persist(); // answers waiting here are not the browser's to clear
}

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register(config.worker, { scope: config.scope });
}

(async () => {
  root.hidden = false;
  root.ownerDocument.querySelector("[data-capture-needs-script]").hidden = true;
  const found = await read("settings", "key");
  if (found) {
    await counts();
    lock();
    if (navigator.onLine) await send(); // what waited while the page was closed
  } else {
    show("setup");
  }
})();
