/** Text made safe for one Markdown table cell: pipes escaped, line breaks folded. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
