/**
 * copyText puts text on the clipboard. Without the Clipboard API (an
 * insecure origin, an old browser) or when it is refused, it selects the
 * text in input and copies the selection. It returns whether either
 * worked; if neither did, the text is left selected for the person to
 * copy.
 */
export async function copyText(text: string, input?: HTMLInputElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Refused (no permission, the page not focused): try the selection.
  }
  if (!input) {
    return false;
  }
  input.focus();
  input.select();
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  }
}
