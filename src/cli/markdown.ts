/**
 * Markdown for the terminal, in the spirit of Agno's pretty printing: headings, emphasis, lists,
 * code. ANSI styles only when writing to a terminal; plain text otherwise.
 */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  italic(text: string): string;
  cyan(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
}

const ansi = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;

export const COLOR: Style = {
  bold: ansi(1, 22),
  dim: ansi(2, 22),
  italic: ansi(3, 23),
  cyan: ansi(36, 39),
  green: ansi(32, 39),
  red: ansi(31, 39),
  yellow: ansi(33, 39),
};

const same = (text: string) => text;
export const PLAIN: Style = { bold: same, dim: same, italic: same, cyan: same, green: same, red: same, yellow: same };

function inline(text: string, style: Style): string {
  return text
    .replace(/`([^`]+)`/g, (_, code: string) => style.cyan(code))
    .replace(/\*\*([^*]+)\*\*/g, (_, bold: string) => style.bold(bold))
    .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, (_, before: string, em: string) => `${before}${style.italic(em)}`);
}

export function renderMarkdown(markdown: string, style: Style): string {
  const out: string[] = [];
  let inCode = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) {
      inCode = !inCode;
      continue;
    }
    if (inCode) {
      out.push(style.dim(`    ${line}`));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      out.push(style.bold(heading[1]!.length <= 2 ? heading[2]!.toUpperCase() : heading[2]!));
      continue;
    }
    const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
    if (bullet) {
      out.push(`${bullet[1]}  • ${inline(bullet[2]!, style)}`);
      continue;
    }
    const numbered = /^(\s*)(\d+)[.)]\s+(.*)$/.exec(line);
    if (numbered) {
      out.push(`${numbered[1]}  ${numbered[2]}. ${inline(numbered[3]!, style)}`);
      continue;
    }
    out.push(inline(line, style));
  }
  return out.join('\n');
}
