// Pårørende-guiden web chat widget: accessible, framework-free, talks to Rasa's socket.io
// channel. Embed with one script tag:
//
//   <script src="https://bot.example/widget.js" data-server="https://bot.example"
//           data-mode="ung" data-exit-url="https://www.google.no" defer></script>
//
// data-server    the Rasa server (socket.io at /socket.io; data-socket-path to change)
// data-mode      "ung" for young mode (sends customData {mode: "ung"} with every message)
// data-exit-url  where «Rask utgang» goes (location.replace, so Back does not return)
// data-open      "true" to start with the chat open
// data-css       stylesheet URL (default: widget.css next to widget.js)
//
// The widget connects (and the bot greets) only when the chat is opened or a message is sent,
// not on every page view. «Slett samtalen» and «Rask utgang» delete the conversation on the
// server too: socket.io `forget` (acknowledged) and, when leaving, a beacon to
// /webhooks/socketio/forget with the server-issued session id.

import { io, type Socket } from "socket.io-client";
import {
  type Alternative,
  type Handover,
  type Source,
  el,
  handoverCard,
  paragraphs,
  safeHref,
  sourceLine,
} from "./render";
import { type Texts, texts } from "./texts";

interface Button {
  title: string;
  payload: string;
}

interface Message {
  from: "user" | "bot";
  text?: string;
  buttons?: Button[];
  sources?: Source[];
  handover?: Handover;
  alternatives?: Alternative[];
}

interface State {
  v: 1;
  sessionId: string | null;
  open: boolean;
  greeted: boolean;
  messages: Message[];
}

interface Config {
  server: string;
  socketPath: string;
  mode: "ung" | "voksen";
  exitUrl: string;
  open: boolean;
  css: string;
}

const STORAGE_PREFIX = "parorende-chat:";
const REPLY_TIMEOUT_MS = 30000;
const ESC_WINDOW_MS = 1500;
// the longest «Slett samtalen» waits for the server to confirm the deletion
const FORGET_TIMEOUT_MS = 8000;
const FORGET_PATH = "/webhooks/socketio/forget";

function readConfig(script: HTMLScriptElement | null): Config {
  const d = script?.dataset ?? {};
  const scriptUrl = script?.src ? new URL(script.src, location.href) : new URL(location.href);
  const server = d.server ? new URL(d.server, location.href).origin : scriptUrl.origin;
  const exit = d.exitUrl ? new URL(d.exitUrl, location.href) : null;
  return {
    server,
    socketPath: d.socketPath || "/socket.io",
    mode: d.mode === "ung" ? "ung" : "voksen",
    exitUrl:
      exit && (exit.protocol === "https:" || exit.protocol === "http:")
        ? exit.href
        : "https://www.google.no",
    open: d.open === "true",
    css: d.css || new URL("widget.css", scriptUrl).href,
  };
}

function storage(): Storage | null {
  try {
    const s = window.sessionStorage;
    s.getItem("x");
    return s;
  } catch {
    return null; // storage blocked: the conversation lives only in the page
  }
}

function clearAllStorage(): void {
  const s = storage();
  if (!s) return;
  for (let i = s.length - 1; i >= 0; i--) {
    const key = s.key(i);
    if (key && key.startsWith(STORAGE_PREFIX)) s.removeItem(key);
  }
}

class ChatWidget {
  private cfg: Config;
  private t: Texts;
  private key: string;
  private state: State;
  private socket: Socket | null = null;
  private confirmed = false;
  private queue: { message: string }[] = [];
  private rendered = 0;
  private renderTimer: number | undefined;
  private replyTimer: number | undefined;
  private lastEsc = 0;
  private ids = 0;
  private clearing = false;

  private host!: HTMLElement;
  private root!: ShadowRoot;
  private launcher!: HTMLButtonElement;
  private panel!: HTMLElement;
  private log!: HTMLOListElement;
  private status!: HTMLElement;
  private statusText = "";
  private statusTimer: number | undefined;
  private input!: HTMLTextAreaElement;

  constructor(cfg: Config) {
    this.cfg = cfg;
    this.t = texts(cfg.mode);
    this.key = `${STORAGE_PREFIX}${cfg.mode}`;
    this.state = this.load();
    if (cfg.open && !this.state.messages.length) this.state.open = true;
  }

  // ---- state ----------------------------------------------------------------------------

  private fresh(): State {
    return { v: 1, sessionId: null, open: this.cfg.open, greeted: false, messages: [] };
  }

  private load(): State {
    const raw = storage()?.getItem(this.key);
    if (raw) {
      try {
        const s = JSON.parse(raw) as State;
        if (s && s.v === 1 && Array.isArray(s.messages)) return s;
      } catch {
        /* corrupt: start again */
      }
    }
    return this.fresh();
  }

  private save(): void {
    try {
      storage()?.setItem(this.key, JSON.stringify(this.state));
    } catch {
      /* quota or blocked: keep going without persistence */
    }
  }

  private id(name: string): string {
    this.ids += 1;
    return `pgw-${name}-${this.ids}`;
  }

  // ---- DOM ------------------------------------------------------------------------------

  mount(): void {
    const t = this.t;
    this.host = el("div", { id: "parorende-chat", class: "pgw-host" });
    this.host.style.visibility = "hidden";
    this.root = this.host.attachShadow({ mode: "open" });
    const css = el("link", { rel: "stylesheet", href: this.cfg.css });
    css.addEventListener("load", () => (this.host.style.visibility = ""));
    css.addEventListener("error", () => (this.host.style.visibility = ""));
    window.setTimeout(() => (this.host.style.visibility = ""), 3000);

    const titleId = this.id("title");
    const hintId = this.id("hint");
    const inputId = this.id("input");
    const exitHintId = this.id("exit-hint");

    const exitButton = (extra: string) => {
      const b = el(
        "button",
        { type: "button", class: `pgw-exit ${extra}`, "aria-describedby": exitHintId },
        t.exit,
      );
      b.addEventListener("click", () => this.quickExit());
      return b;
    };

    this.launcher = el(
      "button",
      { type: "button", class: "pgw-launcher", "aria-expanded": "false", "aria-haspopup": "false" },
      el("span", { class: "pgw-launcher-icon", "aria-hidden": "true" }, "💬"),
      t.open,
    );
    this.launcher.addEventListener("click", () => this.setOpen(true, true));

    const closeBtn = el(
      "button",
      { type: "button", class: "pgw-close", "aria-label": t.closeLabel },
      el("span", { "aria-hidden": "true" }, "×"),
    );
    closeBtn.addEventListener("click", () => this.setOpen(false, true));

    const humanBtn = el("button", { type: "button", class: "pgw-human" }, t.human);
    humanBtn.addEventListener("click", () => this.send("/handover", t.human));
    const clearBtn = el("button", { type: "button", class: "pgw-clear" }, t.clear);
    clearBtn.addEventListener("click", () => void this.clear());

    this.log = el("ol", { class: "pgw-log-list" });
    const logBox = el(
      "div",
      {
        class: "pgw-log",
        role: "log",
        "aria-live": "polite",
        "aria-relevant": "additions",
        "aria-label": t.logLabel,
        tabindex: "0",
      },
      this.log,
    );
    this.status = el("p", { class: "pgw-status", role: "status" });

    this.input = el("textarea", {
      id: inputId,
      class: "pgw-input",
      rows: "2",
      maxlength: "1000",
      autocomplete: "off",
      "aria-describedby": hintId,
    });
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        form.requestSubmit();
      }
    });
    const form = el(
      "form",
      { class: "pgw-form" },
      el("label", { for: inputId, class: "pgw-label" }, t.inputLabel),
      el("p", { id: hintId, class: "pgw-hint" }, t.inputHint),
      el(
        "div",
        { class: "pgw-row" },
        this.input,
        el("button", { type: "submit", class: "pgw-send" }, t.send),
      ),
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const text = this.input.value.trim();
      if (!text) return;
      this.input.value = "";
      this.send(text, text);
    });

    this.panel = el(
      "div",
      { class: "pgw-panel" },
      el(
        "div",
        { class: "pgw-head" },
        el("h2", { id: titleId, class: "pgw-title" }, t.title),
        exitButton("pgw-exit-panel"),
        closeBtn,
        el(
          "p",
          { class: "pgw-sub" },
          t.subtitle + " ",
          el(
            "span",
            { class: "pgw-nowrap" },
            t.danger,
            " ",
            el("a", { href: "tel:113", class: "pgw-link" }, "113"),
            ".",
          ),
        ),
      ),
      logBox,
      this.status,
      form,
      el("div", { class: "pgw-actions" }, humanBtn, clearBtn),
    );

    this.root.append(
      css,
      el(
        "aside",
        { class: `pgw pgw-mode-${this.cfg.mode}`, "aria-label": t.landmark },
        el("p", { id: exitHintId, class: "pgw-sr" }, t.exitHint),
        this.panel,
        el("div", { class: "pgw-dock" }, this.launcher, exitButton("pgw-exit-dock")),
      ),
    );
    document.body.append(this.host);

    document.addEventListener("keydown", (e) => this.onKey(e), true);
    this.renderAll();
    // connects when opened (or on the first message): no conversation for a page view (L7)
    this.setOpen(this.state.open, false);
  }

  private setOpen(open: boolean, moveFocus: boolean): void {
    this.state.open = open;
    this.save();
    this.panel.hidden = !open;
    this.launcher.hidden = open;
    this.launcher.setAttribute("aria-expanded", String(open));
    if (moveFocus) {
      if (open) this.input.focus();
      else this.launcher.focus();
    }
    if (open) this.scrollToEnd();
    if (open && !this.socket) this.connect();
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key !== "Escape") return;
    const now = Date.now();
    if (now - this.lastEsc <= ESC_WINDOW_MS) {
      e.preventDefault();
      this.quickExit();
      return;
    }
    this.lastEsc = now;
  }

  // ---- rendering --------------------------------------------------------------------------

  private renderAll(): void {
    this.log.replaceChildren();
    this.rendered = 0;
    this.renderNew();
  }

  private scheduleRender(): void {
    window.clearTimeout(this.renderTimer);
    // Rasa sends a turn as several events (text, then the custom block): render the turn
    // once, so the live region announces it once.
    this.renderTimer = window.setTimeout(() => this.renderNew(), 120);
  }

  private renderNew(): void {
    const msgs = this.state.messages;
    // the last rendered bot message may have received its custom block since
    if (this.rendered > 0 && this.rendered <= msgs.length) {
      const lastNode = this.log.lastElementChild;
      const last = msgs[this.rendered - 1];
      if (lastNode && last.from === "bot" && lastNode.getAttribute("data-sig") !== this.sig(last)) {
        lastNode.replaceWith(this.renderMessage(last, this.rendered - 1));
      }
    }
    for (let i = this.rendered; i < msgs.length; i++) {
      this.log.append(this.renderMessage(msgs[i], i));
    }
    this.rendered = msgs.length;
    // only the latest bot message keeps its quick replies
    this.log.querySelectorAll(".pgw-choices").forEach((node) => {
      if (node.closest("li") !== this.lastBotItem()) node.remove();
    });
    this.scrollToEnd();
  }

  private lastBotItem(): Element | null {
    const items = this.log.querySelectorAll("li.pgw-from-bot");
    return items.length ? items[items.length - 1] : null;
  }

  private sig(m: Message): string {
    return [m.text?.length ?? 0, m.buttons?.length ?? 0, m.sources?.length ?? 0, m.handover ? 1 : 0].join(
      ".",
    );
  }

  private renderMessage(m: Message, index: number): HTMLLIElement {
    const t = this.t;
    const item = el("li", { class: `pgw-msg pgw-from-${m.from}`, "data-sig": this.sig(m) });
    const who = m.from === "user" ? t.you : t.bot;
    item.append(el("span", { class: "pgw-sr" }, `${who}: `));
    const bubble = el("div", { class: "pgw-bubble" });
    const text = m.text || "";
    if (m.from === "user") bubble.append(el("p", {}, text));
    else bubble.append(...paragraphs(text, t.newTab));
    if (bubble.childNodes.length) item.append(bubble);
    const src = sourceLine(m.sources, t);
    if (src) item.append(src);
    if (m.handover) item.append(handoverCard(m.handover, m.alternatives, t));
    if (m.buttons?.length && index === this.state.messages.length - 1) {
      const group = el("div", { class: "pgw-choices", role: "group", "aria-label": t.choices });
      for (const b of m.buttons) {
        const btn = el("button", { type: "button", class: "pgw-choice" }, b.title);
        btn.addEventListener("click", () => {
          this.send(b.payload, b.title);
          this.input.focus();
        });
        group.append(btn);
      }
      item.append(group);
    }
    return item;
  }

  private scrollToEnd(): void {
    const box = this.log.parentElement;
    if (box) box.scrollTop = box.scrollHeight;
    // short viewports (zoom): the whole panel scrolls; keep the newest message above the form
    if (this.panel && this.panel.scrollHeight > this.panel.clientHeight) {
      const last = this.log.lastElementChild as HTMLElement | null;
      const head = this.panel.firstElementChild as HTMLElement | null;
      if (last) this.panel.scrollTop = Math.max(0, last.offsetTop - (head?.offsetHeight ?? 0));
    }
  }

  private say(text: string): void {
    // role=status: announced politely; cleared first so a repeated text is announced again.
    // One pending update at a time, and `statusText` is what the line says (or is about to):
    // a later say() wins, an earlier one can never overwrite it.
    this.statusText = text;
    window.clearTimeout(this.statusTimer);
    this.status.textContent = "";
    if (text) this.statusTimer = window.setTimeout(() => (this.status.textContent = text), 50);
  }

  /** Clears the status line only while it says one of `texts` (a passing state such as
   * «skriver …»); a message the user must see, such as «Samtalen er slettet.», stays. */
  private unsay(...texts: string[]): void {
    if (texts.includes(this.statusText)) this.say("");
  }

  // ---- socket -----------------------------------------------------------------------------

  private connect(): void {
    this.say(this.t.connecting);
    const socket = io(this.cfg.server, {
      path: this.cfg.socketPath,
      transports: ["websocket", "polling"],
      reconnectionDelayMax: 10000,
    });
    this.socket = socket;
    socket.on("connect", () => {
      this.confirmed = false;
      socket.emit("session_request", { session_id: this.state.sessionId });
    });
    socket.on("session_confirm", (data: unknown) => {
      const id =
        typeof data === "string"
          ? data
          : (data as { session_id?: string } | null)?.session_id ?? null;
      if (!id) return;
      this.state.sessionId = id;
      this.confirmed = true;
      this.save();
      this.unsay(this.t.connecting, this.t.offline);
      if (!this.state.greeted && !this.state.messages.length) {
        // the bot's own greeting (young version in young mode) with its menu of choices
        this.state.greeted = true;
        this.save();
        this.emit("/greet");
        // after «Slett samtalen» the confirmation stays up while the new greeting comes
        if (!this.statusText) this.say(this.t.typing);
      }
      const pending = this.queue.splice(0);
      for (const p of pending) this.emit(p.message);
    });
    socket.on("bot_uttered", (data: unknown) => this.onBot(data));
    socket.on("connect_error", () => this.say(this.t.offline));
    socket.on("disconnect", (reason) => {
      this.confirmed = false;
      if (reason !== "io client disconnect") this.say(this.t.offline);
    });
  }

  private emit(message: string): void {
    const payload: Record<string, unknown> = { message, session_id: this.state.sessionId };
    if (this.cfg.mode === "ung") payload.customData = { mode: "ung" };
    this.socket?.emit("user_uttered", payload);
  }

  private send(message: string, display: string): void {
    this.state.messages.push({ from: "user", text: display });
    this.save();
    this.renderNew();
    if (this.confirmed) this.emit(message);
    else this.queue.push({ message });
    if (!this.socket) this.connect();
    this.say(this.t.typing);
    window.clearTimeout(this.replyTimer);
    this.replyTimer = window.setTimeout(() => this.say(this.t.offline), REPLY_TIMEOUT_MS);
  }

  private onBot(data: unknown): void {
    if (!data || typeof data !== "object") return;
    const d = data as Record<string, unknown>;
    const msgs = this.state.messages;
    const lastUser = msgs.map((m) => m.from).lastIndexOf("user");
    const turnBot = msgs.length - 1 > lastUser ? msgs[msgs.length - 1] : null;
    if (d.custom && typeof d.custom === "object") {
      const c = d.custom as Record<string, unknown>;
      let target = turnBot && turnBot.from === "bot" ? turnBot : null;
      // the source belongs to the turn's text, not to a bubble appended later
      if (!target) {
        target = { from: "bot" };
        msgs.push(target);
      }
      if (Array.isArray(c.sources)) target.sources = c.sources as Source[];
      if (c.handover && typeof c.handover === "object") target.handover = c.handover as Handover;
      if (Array.isArray(c.alternatives)) target.alternatives = c.alternatives as Alternative[];
      // keep the source line and the card with the turn's text: move the buttons last
      this.moveButtonsLast(lastUser);
    } else {
      const text = typeof d.text === "string" ? d.text : "";
      const raw = (Array.isArray(d.quick_replies) ? d.quick_replies : d.buttons) as unknown;
      const buttons = Array.isArray(raw)
        ? (raw as Record<string, unknown>[])
            .filter((b) => b && typeof b.title === "string" && typeof b.payload === "string")
            .map((b) => ({ title: String(b.title), payload: String(b.payload) }))
        : [];
      const image = d.attachment as { payload?: { src?: string } } | undefined;
      const imageHref = safeHref(image?.payload?.src);
      if (!text && !buttons.length && !imageHref) return;
      msgs.push({
        from: "bot",
        text: text || imageHref || "",
        buttons: buttons.length ? buttons : undefined,
      });
    }
    window.clearTimeout(this.replyTimer);
    this.unsay(this.t.typing, this.t.offline);
    this.save();
    this.scheduleRender();
  }

  /** In a bot turn, the quick replies go on the turn's last message. */
  private moveButtonsLast(lastUser: number): void {
    const msgs = this.state.messages;
    const turn = msgs.slice(lastUser + 1).filter((m) => m.from === "bot");
    const withButtons = turn.find((m) => m.buttons?.length);
    const last = turn[turn.length - 1];
    if (withButtons && last && withButtons !== last) {
      last.buttons = withButtons.buttons;
      withButtons.buttons = undefined;
    }
  }

  // ---- clear and quick exit ---------------------------------------------------------------

  /** Asks the server to delete the conversation `id` on this socket; true only when the
   * server confirmed it (bounded by FORGET_TIMEOUT_MS, the wait for a connection included). */
  private async forgetOnServer(id: string): Promise<boolean> {
    const deadline = Date.now() + FORGET_TIMEOUT_MS;
    if (!this.socket) this.connect();
    while (!(this.confirmed && this.state.sessionId === id)) {
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => window.setTimeout(resolve, 100));
    }
    try {
      const ack = (await this.socket!.timeout(Math.max(1, deadline - Date.now())).emitWithAck(
        "forget",
        { session_id: id },
      )) as { ok?: unknown } | null;
      return ack?.ok === true;
    } catch {
      return false; // no answer in time
    }
  }

  /** Fire-and-forget deletion that survives leaving the page. */
  private beacon(id: string): void {
    try {
      navigator.sendBeacon(this.cfg.server + FORGET_PATH, id);
    } catch {
      /* nothing more we can do from a page that is going away */
    }
  }

  private async clear(): Promise<void> {
    if (this.clearing) return;
    this.clearing = true;
    window.clearTimeout(this.replyTimer);
    const id = this.state.sessionId;
    let deleted = true;
    if (id) {
      this.say(this.t.clearing);
      deleted = await this.forgetOnServer(id);
      if (!deleted) this.beacon(id); // one more try that needs no confirmed socket
    }
    clearAllStorage();
    this.state = this.fresh();
    this.state.open = true;
    this.queue = [];
    this.renderAll();
    this.save();
    // a new conversation on a new socket with a new session id: nothing of the old one is
    // reattached, and the socket leaves the old session's room
    this.confirmed = false;
    this.socket?.disconnect().connect();
    this.say(deleted ? this.t.cleared : this.t.clearFailed);
    this.clearing = false;
    this.input.focus();
  }

  quickExit(): void {
    const id = this.state.sessionId;
    if (id) this.beacon(id);
    try {
      document.documentElement.style.visibility = "hidden";
      this.socket?.disconnect();
    } catch {
      /* leave anyway */
    }
    clearAllStorage();
    this.host.remove();
    try {
      document.title = "";
    } catch {
      /* ignore */
    }
    location.replace(this.cfg.exitUrl);
  }
}

function start(): void {
  const script = (document.currentScript as HTMLScriptElement | null) ?? findScript();
  const widget = new ChatWidget(readConfig(script));
  const go = () => widget.mount();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", go);
  else go();
}

function findScript(): HTMLScriptElement | null {
  const scripts = Array.from(document.querySelectorAll<HTMLScriptElement>("script[src]"));
  return scripts.find((s) => /widget(\.min)?\.js(\?|$)/.test(s.src)) ?? null;
}

start();
