/**
 * Wraps outside text as labelled data. Angle brackets inside it are replaced by look-alikes, so
 * no content can close the fence or open a tag of its own, however it is spelled or encoded.
 */
export function fenceUntrusted(label: string, text: string): string {
  return `<untrusted-data ${label}>\n${neutralizeMarkup(text)}\n</untrusted-data>`;
}

export function neutralizeMarkup(text: string): string {
  return text.replace(/</g, "‹").replace(/>/g, "›");
}
