// Browser tests of the chat widget against the real bot, in Debian's Chromium driven by
// playwright-core, with axe-core. Run by tests/web/test_widget.py (pytest -m e2e), which
// starts the bot and the demo front and passes:
//   WIDGET_URL      the demo front, e.g. http://127.0.0.1:8123
//   SCREENSHOT_DIR  where to save a PNG of each state (var/screenshots)
//   DOCS_SCREENSHOT_DIR  optional: also write the four README screenshots there
//   CHROMIUM        default /usr/bin/chromium
//   WIDGET_NODE_MODULES  bot/web/node_modules (playwright-core, axe-core)
//   FORGET_LOG      optional: a JSON file to write the session ids to, by what happened to
//                   them ({"cleared": [...], "exited": [...], "kept": [...]}); the Python side
//                   checks the server's tracker database for them
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

const BASE = (process.env.WIDGET_URL || "http://localhost:8080").replace(/\/$/, "");
const SHOTS = process.env.SCREENSHOT_DIR || "var/screenshots";
const DOCS = process.env.DOCS_SCREENSHOT_DIR || "";
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const MODULES = process.env.WIDGET_NODE_MODULES || new URL("../../bot/web/node_modules/", import.meta.url).pathname;
const require = createRequire(join(MODULES, "noop.js"));
const { chromium } = require("playwright-core");
const AXE_SOURCE = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");

const REPLY_MS = 30000;
const FORGET_LOG = process.env.FORGET_LOG || "";
const sessions = { cleared: [], exited: [], kept: [] };
let browser;

async function newPage(options = {}) {
  const context = await browser.newContext({
    viewport: { width: 1100, height: 900 },
    locale: "nb-NO",
    timezoneId: "Europe/Oslo",
    ...options,
  });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.problems = problems;
  return page;
}

/** Scroll the conversation so the latest question (or the top) is in view. */
async function showLatestTurn(page, top = false) {
  await page.evaluate((toTop) => {
    const root = document.querySelector("#parorende-chat").shadowRoot;
    const users = root.querySelectorAll("li.pgw-from-user");
    const target = toTop || !users.length ? root.querySelector("li") : users[users.length - 1];
    const box = root.querySelector(".pgw-log");
    if (target && box) box.scrollTop = target.offsetTop - box.offsetTop - 8;
  }, top);
}

async function exitButtonInView(page, width, height) {
  const b = await widget(page).getByRole("button", { name: "Rask utgang" }).first().boundingBox();
  assert.ok(b && b.x >= 0 && b.y >= 0 && b.x + b.width <= width && b.y + b.height <= height,
    `«Rask utgang» must stay in view: ${JSON.stringify(b)}`);
}

async function shot(page, name, docsName) {
  await mkdir(SHOTS, { recursive: true });
  const path = join(SHOTS, `${name}.png`);
  // caret "initial": Playwright's caret hiding injects an inline <style>, which the demo's CSP
  // rightly blocks (and logs)
  await page.screenshot({ path, caret: "initial" });
  if (DOCS && docsName) {
    await mkdir(DOCS, { recursive: true });
    await copyFile(path, join(DOCS, docsName));
  }
}

const widget = (page) => page.locator("#parorende-chat");
const botItems = (page) => widget(page).locator("li.pgw-from-bot");
const userItems = (page) => widget(page).locator("li.pgw-from-user");

async function waitForBotCount(page, n) {
  await page.waitForFunction(
    (count) => {
      const root = document.querySelector("#parorende-chat")?.shadowRoot;
      return root && root.querySelectorAll("li.pgw-from-bot").length >= count;
    },
    n,
    { timeout: REPLY_MS },
  );
  // the widget renders a turn 120 ms after its last event
  await page.waitForTimeout(400);
}

async function openChat(path, options) {
  const page = await newPage(options);
  await page.goto("about:blank");
  await page.goto(BASE + path);
  await waitForBotCount(page, 1); // the bot's greeting
  return page;
}

async function ask(page, text) {
  const before = await botItems(page).count();
  const input = widget(page).getByRole("textbox");
  await input.fill(text);
  await input.press("Enter");
  await waitForBotCount(page, before + 1);
}

function stored(page) {
  return page.evaluate(() => {
    const out = {};
    for (let i = 0; i < sessionStorage.length; i++) {
      const k = sessionStorage.key(i);
      out[k] = JSON.parse(sessionStorage.getItem(k));
    }
    return out;
  });
}

async function axe(page) {
  const seen = page.problems.length;
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary}`).slice(0, 3),
    }));
  });
  // axe-core injects an inline <style> while it runs; the page's CSP blocks it and logs that
  await page.waitForTimeout(100);
  const during = page.problems.splice(seen);
  page.problems.push(...during.filter((p) => !/Applying inline style violates/.test(p)));
  return violations;
}

function activeInWidget(page) {
  return page.evaluate(() => {
    const host = document.activeElement;
    const inner = host?.shadowRoot?.activeElement;
    if (!inner) return null;
    const style = getComputedStyle(inner);
    return {
      tag: inner.tagName.toLowerCase(),
      cls: inner.className,
      text: (inner.textContent || "").trim(),
      outline: `${style.outlineStyle} ${style.outlineWidth}`,
    };
  });
}

async function tabUntil(page, predicate, max = 40, key = "Tab") {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const a = await activeInWidget(page);
    if (a && predicate(a)) return a;
  }
  throw new Error(`focus never reached the target with ${key}`);
}

before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    // playwright-core gives every launch a fresh temporary profile (user-data dir)
  });
});

after(async () => {
  await browser?.close();
  if (FORGET_LOG) await writeFile(FORGET_LOG, JSON.stringify(sessions));
});

async function sessionId(page) {
  const state = Object.values(await stored(page))[0];
  return state?.sessionId ?? null;
}

async function waitForStatus(page, text) {
  const status = () => document.querySelector("#parorende-chat")?.shadowRoot
    ?.querySelector(".pgw-status")?.textContent;
  try {
    await page.waitForFunction(
      (want) => document.querySelector("#parorende-chat")?.shadowRoot
        ?.querySelector(".pgw-status")?.textContent === want,
      text,
      { timeout: REPLY_MS, polling: 100 },
    );
  } catch (error) {
    // say what the line said instead: a failed deletion and an overwritten one differ
    throw new Error(`status line never said ${JSON.stringify(text)}; it says ` +
      `${JSON.stringify(await page.evaluate(status).catch(() => "?"))} (${error.message})`);
  }
}

describe("adult page", () => {
  let page;
  before(async () => {
    page = await openChat("/");
  });
  after(async () => page?.context().close());

  test("greets, with the controls that are always visible", async () => {
    const w = widget(page);
    await assert.doesNotReject(w.getByRole("heading", { name: "Pårørende-guiden" }).waitFor());
    for (const name of ["Rask utgang", "Snakk med et menneske", "Slett samtalen", "Send"]) {
      assert.ok(await w.getByRole("button", { name, exact: true }).first().isVisible(), name);
    }
    assert.ok(await w.getByRole("textbox", { name: "Skriv spørsmålet ditt" }).isVisible());
    const log = w.getByRole("log");
    assert.equal(await log.getAttribute("aria-live"), "polite");
    assert.ok((await botItems(page).first().innerText()).length > 20);
    await shot(page, "adult");
  });

  test("answers «Hva er avlastning?» with its source line", async () => {
    await ask(page, "Hva er avlastning?");
    assert.equal(await userItems(page).last().innerText().then((t) => t.includes("Hva er avlastning?")), true);
    const answer = botItems(page).last();
    const text = await answer.innerText();
    assert.match(text, /avlastning/i);
    const source = answer.locator(".pgw-source");
    assert.match(await source.innerText(), /^Kilder?: .*helse- og omsorgstjenesteloven/is);
    await shot(page, "adult-answer", "widget-adult.png");
  });

  test("a quick reply sends its payload and shows its title", async () => {
    const choice = botItems(page).last().locator(".pgw-choice").first();
    const title = (await choice.innerText()).trim();
    const before = await botItems(page).count();
    await choice.click();
    await waitForBotCount(page, before + 1);
    assert.equal((await userItems(page).last().innerText()).trim().endsWith(title), true);
    assert.ok(!(await userItems(page).last().innerText()).includes("/"), "payload not shown");
    assert.ok((await botItems(page).last().innerText()).length > 20);
    await showLatestTurn(page);
    await shot(page, "quick-reply");
  });

  test("«Snakk med et menneske» shows the hand-over card with a tel: link", async () => {
    const before = await botItems(page).count();
    await widget(page).getByRole("button", { name: "Snakk med et menneske" }).click();
    await waitForBotCount(page, before + 1);
    const card = botItems(page).last().locator(".pgw-card");
    await card.waitFor();
    const tel = card.locator('.pgw-card-phone a[href^="tel:"]');
    assert.match(await tel.getAttribute("href"), /^tel:\+?\d{3,}$/);
    const state = Object.values(await stored(page))[0];
    const h = state.messages.filter((m) => m.handover).pop().handover;
    const status = await card.locator(".pgw-open").allInnerTexts();
    if (h.open_now === true) assert.deepEqual(status, ["Åpent nå"]);
    else if (h.open_now === false) assert.match(status[0], /^Stengt nå( – åpner .+)?$/);
    else assert.deepEqual(status, []);
    await shot(page, "handover", "widget-handover.png");
  });

  test("axe-core: 0 violations with the widget open and a conversation in it", async () => {
    const violations = await axe(page);
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
  });

  test("a reload keeps the conversation (sessionStorage)", async () => {
    const users = await userItems(page).count();
    const bots = await botItems(page).count();
    await page.reload();
    await widget(page).locator("li.pgw-from-user").first().waitFor();
    assert.equal(await userItems(page).count(), users);
    assert.equal(await botItems(page).count(), bots);
    assert.ok(await widget(page).locator(".pgw-source").first().isVisible());
    // and the socket session is still the same conversation: the bot still answers
    await ask(page, "takk");
  });

  test("«Rask utgang» clears the conversation and leaves; Back does not return", async () => {
    assert.ok(Object.keys(await stored(page)).length > 0);
    const id = await sessionId(page);
    assert.match(id, /^[0-9a-f]{32}$/, "a server-issued session id");
    sessions.exited.push(id); // the beacon deletes it on the server (checked in Python)
    await widget(page).getByRole("button", { name: "Rask utgang" }).first().click();
    await page.waitForURL(BASE + "/ut");
    assert.deepEqual(await stored(page), {});
    await shot(page, "after-exit", "widget-after-exit.png");
    await page.goBack().catch(() => null);
    await page.waitForTimeout(300);
    assert.notEqual(page.url(), BASE + "/", "Back must not return to the chat page");
    assert.deepEqual(page.problems, []);
  });
});

describe("young page", () => {
  let page;
  before(async () => {
    page = await openChat("/ung");
  });
  after(async () => page?.context().close());

  test("young greeting and youth services", async () => {
    const w = widget(page);
    await w.getByRole("heading", { name: "Chat for unge pårørende" }).waitFor();
    assert.match(await botItems(page).first().innerText(), /familien/);
    assert.ok(await w.getByRole("button", { name: "Snakk med en voksen" }).first().isVisible());
    await showLatestTurn(page, true);
    await shot(page, "young", "widget-young.png");
    const before = await botItems(page).count();
    await w.locator(".pgw-actions .pgw-human").click();
    await waitForBotCount(page, before + 1);
    const card = botItems(page).last().locator(".pgw-card");
    await card.waitFor();
    assert.ok(await card.locator('a[href^="tel:"]').count());
    const state = await stored(page);
    assert.deepEqual(Object.keys(state), ["parorende-chat:ung"]);
    await showLatestTurn(page);
    await shot(page, "young-handover");
  });

  test("axe-core: 0 violations in young mode", async () => {
    const violations = await axe(page);
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
  });

  test("Escape twice is a quick exit too", async () => {
    sessions.exited.push(await sessionId(page));
    await page.locator("body").click({ position: { x: 5, y: 300 } });
    await page.keyboard.press("Escape");
    await page.keyboard.press("Escape");
    await page.waitForURL(BASE + "/ut");
    assert.deepEqual(await stored(page), {});
    assert.deepEqual(page.problems, []);
  });
});

describe("deletion on the server", () => {
  test("«Slett samtalen» waits for the server, then says it is deleted; a new conversation starts", async () => {
    const page = await openChat("/");
    await ask(page, "Hva er avlastning?");
    const old = await sessionId(page);
    assert.match(old, /^[0-9a-f]{32}$/);
    await widget(page).getByRole("button", { name: "Slett samtalen" }).click();
    await waitForStatus(page, "Samtalen er slettet.");
    sessions.cleared.push(old);
    assert.equal(await userItems(page).count(), 0);
    // a fresh conversation with a new id, greeted again; the confirmation stays up (the
    // greeting's «skriver …» must not replace it)
    await waitForBotCount(page, 1);
    assert.equal(await page.evaluate(() => document.querySelector("#parorende-chat")
      .shadowRoot.querySelector(".pgw-status").textContent), "Samtalen er slettet.");
    const fresh = await sessionId(page);
    assert.match(fresh, /^[0-9a-f]{32}$/);
    assert.notEqual(fresh, old);
    await ask(page, "Hva er avlastning?");
    sessions.kept.push(fresh); // the control: this one must still be on the server
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test("young mode: «Slett chatten» says «Chatten er slettet.»", async () => {
    const page = await openChat("/ung");
    const old = await sessionId(page);
    await widget(page).getByRole("button", { name: "Slett chatten" }).click();
    await waitForStatus(page, "Chatten er slettet.");
    sessions.cleared.push(old);
    await page.context().close();
  });

  test("no connection and no conversation until the chat is opened (L7)", async () => {
    const page = await newPage();
    const sockets = [];
    page.on("websocket", (ws) => sockets.push(ws.url()));
    // the demo page opens the chat at once (data-open); here it starts closed (a routed,
    // rewritten page would lose Chromium's local-network permission, so strip the attribute)
    await page.addInitScript(() => {
      new MutationObserver((records) => {
        for (const r of records)
          for (const n of r.addedNodes)
            if (n.nodeName === "SCRIPT" && n.dataset?.open) n.removeAttribute("data-open");
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(BASE + "/");
    const launcher = widget(page).getByRole("button", { name: "Åpne chat for pårørende" });
    await launcher.waitFor();
    await page.waitForTimeout(1500);
    assert.deepEqual(sockets, []);
    assert.equal(await sessionId(page), null);
    await launcher.click();
    await waitForBotCount(page, 1);
    assert.equal(sockets.length, 1);
    sessions.kept.push(await sessionId(page));
    await page.context().close();
  });
});

describe("keyboard only", () => {
  test("ask, pick a quick reply, ask for a human, close and reopen: all by keyboard", async () => {
    const page = await openChat("/");
    await page.keyboard.press("Tab"); // skip link first
    const input = await tabUntil(page, (a) => a.tag === "textarea");
    assert.equal(input.outline, "solid 3px", "visible focus on the input");
    await page.keyboard.type("Hva er avlastning?");
    const before = await botItems(page).count();
    await page.keyboard.press("Enter");
    await waitForBotCount(page, before + 1);
    // back from the input into the conversation: the last quick reply
    const choice = await tabUntil(page, (a) => a.cls.includes("pgw-choice"), 5, "Shift+Tab");
    assert.equal(choice.outline, "solid 3px", "visible focus on a quick reply");
    const n = await botItems(page).count();
    await page.keyboard.press("Enter");
    await waitForBotCount(page, n + 1);
    assert.equal((await userItems(page).last().innerText()).trim().endsWith(choice.text), true);
    await tabUntil(page, (a) => a.cls.includes("pgw-human"));
    const m = await botItems(page).count();
    await page.keyboard.press("Enter");
    await waitForBotCount(page, m + 1);
    await botItems(page).last().locator(".pgw-card").waitFor();
    const tel = await tabUntil(page, (a) => a.tag === "a" && a.text.startsWith("Ring"), 40, "Shift+Tab");
    assert.match(tel.text, /^Ring \d/);
    await shot(page, "keyboard");
    // close with the close button, reopen with the launcher
    await tabUntil(page, (a) => a.cls.includes("pgw-close"), 60, "Shift+Tab");
    await page.keyboard.press("Enter");
    const launcher = await activeInWidget(page);
    assert.ok(launcher.cls.includes("pgw-launcher"), "focus returns to the launcher");
    await page.keyboard.press("Enter");
    assert.equal((await activeInWidget(page)).tag, "textarea");
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

describe("small screens", () => {
  test("usable at 320 px width", async () => {
    const page = await openChat("/", { viewport: { width: 320, height: 640 } });
    await ask(page, "Hva er avlastning?");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(overflow <= 320, `horizontal scroll: ${overflow}px`);
    const box = await widget(page).locator(".pgw-panel").boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 320, JSON.stringify(box));
    for (const name of ["Rask utgang", "Send", "Snakk med et menneske"]) {
      const b = await widget(page).getByRole("button", { name, exact: true }).first().boundingBox();
      assert.ok(b && b.x >= 0 && b.x + b.width <= 320, `${name}: ${JSON.stringify(b)}`);
    }
    await exitButtonInView(page, 320, 640);
    await showLatestTurn(page);
    await shot(page, "narrow-320");
    const violations = await axe(page);
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
    await page.context().close();
  });

  test("usable at 200 % zoom (1280×800 at 200 %)", async () => {
    const page = await openChat("/", { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });
    await ask(page, "Hva er avlastning?");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(overflow <= 640, `horizontal scroll: ${overflow}px`);
    const input = widget(page).getByRole("textbox");
    await input.scrollIntoViewIfNeeded();
    assert.ok(await input.isVisible());
    const send = widget(page).getByRole("button", { name: "Send" });
    await send.scrollIntoViewIfNeeded();
    const b = await send.boundingBox();
    assert.ok(b && b.y >= 0 && b.y + b.height <= 400, JSON.stringify(b));
    await exitButtonInView(page, 640, 400);
    await shot(page, "zoom-200");
    await page.context().close();
  });
});
