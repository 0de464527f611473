/**
 * How Trove tells a person that a file was cut short: the words every
 * reader uses, so a PDF, a Word document and a compressed log say it alike
 * and a person learns what to do (fetch or copy the file again).
 */
export function endsEarly(what: string): string {
  return `This ${what} ends early, as an interrupted download or copy does`;
}
