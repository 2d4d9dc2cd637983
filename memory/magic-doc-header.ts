export interface MagicDocHeader {
  /** What the document describes, from `<!-- MAGIC DOC: subject -->`. */
  subject: string;
  /** The optional italic line right after the header: how the user wants it kept. */
  instructions?: string;
  /** The header line(s) exactly as written, kept verbatim at every refresh. */
  lines: string[];
}

const HEADER = /^<!--\s*MAGIC DOC:\s*(.+?)\s*-->\s*$/;
const ITALIC = /^(?:_(.+)_|\*(?!\*)(.+)\*)\s*$/;

/** The magic-doc header of a Markdown file's text, or undefined when its first line is not one. */
export function parseMagicDocHeader(text: string): MagicDocHeader | undefined {
  const [first = "", second = ""] = text.replace(/^\uFEFF/, "").split(/\r?\n/, 2);
  const subject = HEADER.exec(first)?.[1];
  if (!subject) return undefined;
  const italic = ITALIC.exec(second);
  const instructions = italic ? (italic[1] ?? italic[2])!.trim() : undefined;
  return { subject, ...(instructions ? { instructions } : {}), lines: instructions ? [first, second] : [first] };
}
