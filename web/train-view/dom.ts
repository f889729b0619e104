/**
 * The one way the view builds its page: elements from document.createElement, text through text nodes. Everything
 * the view shows may come from someone who can queue or tag a run, and the page holds the user's access token, so
 * nothing is ever parsed as HTML (test/web/train-view-bundle.test.ts greps the sources and the bundle for every
 * way of doing so).
 */
export type Child = Node | string | null | undefined | false;

export interface Props {
  className?: string;
  /** Attributes set with setAttribute; `href` goes through safeHref. */
  attrs?: Record<string, string | undefined>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props?.className) element.className = props.className;
  for (const [name, value] of Object.entries(props?.attrs ?? {})) {
    if (value !== undefined) element.setAttribute(name, value);
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Replaces every child of parent. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  while (parent.firstChild) parent.removeChild(parent.firstChild);
  append(parent, ...children);
}

/**
 * A link to a run in the Azure DevOps page around the view: it opens in the top window (the view is framed), and
 * only http(s) addresses become links — a `javascript:` URL in data would run as the user.
 */
export function runLink(text: string, url: string | undefined): HTMLElement {
  const href = safeHref(url);
  if (!href) return el('span', null, text);
  return el('a', { attrs: { href, target: '_top', rel: 'noopener noreferrer' } }, text);
}

export function safeHref(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** A state shown as an icon (hidden from screen readers) and a word: never by colour alone. */
export function badge(icon: string, word: string, className: string): HTMLElement {
  return el('span', { className: `badge ${className}` }, el('span', { className: 'icon', attrs: { 'aria-hidden': 'true' } }, icon), ' ', word);
}
