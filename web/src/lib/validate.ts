// Checks of form fields before they are sent. They mirror the simple
// constraints of the OpenAPI document (lengths, formats) so that people
// hear about a typo at once; the admin API checks everything again, and
// the rules only it knows (a common password, a taken email) come back
// as its message.

/** FieldErrors maps a form's field names to what is wrong with them. */
export type FieldErrors<Field extends string> = Partial<Record<Field, string>>;

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** checkEmail returns what is wrong with an email address, if anything. */
export function checkEmail(value: string): string | undefined {
  const email = value.trim();
  if (email === "") {
    return "Enter your email address.";
  }
  if (email.length > 254 || !emailPattern.test(email)) {
    return "Enter an email address like name@example.com.";
  }
  return undefined;
}

/** checkNewPassword returns what is wrong with a password being chosen. */
export function checkNewPassword(value: string): string | undefined {
  if (value === "") {
    return "Choose a password.";
  }
  if (value.length < 10) {
    return "Use at least 10 characters.";
  }
  if (value.length > 128) {
    return "Use at most 128 characters.";
  }
  return undefined;
}

/** checkRequired returns message if value is blank. */
export function checkRequired(value: string, message: string): string | undefined {
  return value.trim() === "" ? message : undefined;
}

/** hasErrors tells whether any field has an error. */
export function hasErrors<Field extends string>(errors: FieldErrors<Field>): boolean {
  return Object.values(errors).some(Boolean);
}
