// Safe rendering: every piece of bot text goes through textContent; only http(s) and tel:
// URLs become links. Nothing from the bot is ever parsed as HTML.

export interface Source {
  title?: string;
  ref?: string;
  url?: string;
}

export interface Handover {
  service?: string;
  phone?: string | null;
  url?: string | null;
  open_now?: boolean | null;
  opens?: string | null;
}

export interface Alternative {
  service?: string;
  phone?: string | null;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children) {
    if (child == null) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

/** A URL safe to put in href: http(s) or tel only; otherwise null. */
export function safeHref(raw: string | null | undefined): string | null {
  if (!raw || typeof raw !== "string") return null;
  const value = raw.trim();
  if (/^tel:\+?[0-9 ()-]{3,20}$/i.test(value)) return value.replace(/[ ()-]/g, "");
  try {
    const url = new URL(value);
    if (url.protocol === "http:" || url.protocol === "https:") return url.href;
  } catch {
    /* not a URL */
  }
  return null;
}

/** tel: link target for a Norwegian phone number as written ("90 90 48 48", "116 111"). */
export function telHref(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const digits = phone.replace(/[^0-9+]/g, "");
  if (!/^\+?[0-9]{3,15}$/.test(digits)) return null;
  return "tel:" + digits;
}

export function link(href: string, label: string, newTabNote: string | null): HTMLAnchorElement {
  const a = el("a", { href, class: "pgw-link" }, label);
  if (newTabNote && /^https?:/i.test(href)) {
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    a.append(el("span", { class: "pgw-sr" }, " " + newTabNote));
  }
  return a;
}

// http(s) URLs in running text; trailing punctuation is not part of the URL.
const URL_RE = /https?:\/\/[^\s<>"']+/gi;

/** Text with its http(s) URLs as links, as DOM nodes (text nodes and <a>). */
export function linkify(text: string, newTabNote: string): Node[] {
  const nodes: Node[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_RE)) {
    let raw = match[0];
    const trail = /[.,;:!?)\]]+$/.exec(raw);
    if (trail) raw = raw.slice(0, raw.length - trail[0].length);
    const start = match.index ?? 0;
    const href = safeHref(raw);
    if (!href) continue;
    if (start > last) nodes.push(document.createTextNode(text.slice(last, start)));
    nodes.push(link(href, raw, newTabNote));
    last = start + raw.length;
  }
  if (last < text.length) nodes.push(document.createTextNode(text.slice(last)));
  return nodes;
}

/** Paragraphs of a message (split on blank lines and line breaks). */
export function paragraphs(text: string, newTabNote: string): HTMLElement[] {
  return text
    .split(/\n+/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => el("p", {}, ...linkify(p, newTabNote)));
}

/** «Kilde: …» line; null when there are no sources. */
export function sourceLine(
  sources: Source[] | undefined,
  labels: { source: string; sources: string; newTab: string },
): HTMLElement | null {
  const list = (Array.isArray(sources) ? sources : []).filter(
    (s) => s && (s.title || s.ref),
  );
  if (!list.length) return null;
  const line = el("p", { class: "pgw-source" });
  line.append(el("span", { class: "pgw-source-label" }, list.length > 1 ? labels.sources : labels.source), ": ");
  list.forEach((s, i) => {
    if (i) line.append("; ");
    const title = String(s.title || s.ref);
    const href = safeHref(s.url);
    line.append(href ? link(href, title, labels.newTab) : title);
    const showRef =
      s.ref && s.title && s.ref.toLowerCase() !== s.title.toLowerCase() && !/^https?:\/\//i.test(s.ref);
    if (showRef) line.append(` (${s.ref})`);
  });
  return line;
}

const OSLO_TIME = new Intl.DateTimeFormat("nb-NO", {
  weekday: "long",
  day: "numeric",
  month: "long",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "Europe/Oslo",
});

export function formatOpens(iso: string | null | undefined): string | null {
  if (!iso) return null;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return null;
  return OSLO_TIME.format(at);
}

export interface CardLabels {
  humanCard: string;
  call: string;
  openNow: string;
  closedNow: string;
  website: string;
  alsoOpen: string;
  newTab: string;
}

/** The hand-over card: service, phone as tel: link, open now / opens at, link to the page. */
export function handoverCard(
  h: Handover,
  alternatives: Alternative[] | undefined,
  t: CardLabels,
): HTMLElement {
  const name = String(h.service || t.humanCard);
  const card = el("div", { class: "pgw-card", role: "group", "aria-label": `${t.humanCard}: ${name}` });
  card.append(el("p", { class: "pgw-card-title" }, name));
  if (h.open_now === true) {
    card.append(el("p", { class: "pgw-open pgw-open-yes" }, t.openNow));
  } else if (h.open_now === false) {
    const when = formatOpens(h.opens);
    card.append(
      el("p", { class: "pgw-open pgw-open-no" }, when ? `${t.closedNow} – åpner ${when}` : t.closedNow),
    );
  }
  const tel = telHref(h.phone || null);
  if (tel) {
    card.append(
      el("p", { class: "pgw-card-phone" }, link(tel, `${t.call} ${h.phone}`, null)),
    );
  }
  const href = safeHref(h.url);
  if (href) card.append(el("p", {}, link(href, t.website, t.newTab)));
  const alts = (Array.isArray(alternatives) ? alternatives : []).filter((a) => a && a.service);
  if (alts.length) {
    const list = el("ul", { class: "pgw-alts", "aria-label": t.alsoOpen });
    for (const a of alts) {
      const altTel = telHref(a.phone || null);
      list.append(
        el(
          "li",
          {},
          `${a.service}${altTel ? ": " : ""}`,
          altTel ? link(altTel, String(a.phone), null) : null,
        ),
      );
    }
    card.append(el("p", { class: "pgw-alts-title" }, t.alsoOpen + ":"), list);
  }
  return card;
}
