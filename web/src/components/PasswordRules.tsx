/**
 * PasswordRules lists the rules the admin API checks for a new password
 * (registration, invitations, resets). The API checks them and says which
 * one a password breaks; this list says them beforehand.
 */
export function PasswordRules() {
  return (
    <ul className="list-disc space-y-0.5 pl-5">
      <li>10 to 128 characters; a few words make a good one</li>
      <li>not one of the 10,000 most common passwords</li>
      <li>not containing the part of your email address before the @</li>
    </ul>
  );
}
