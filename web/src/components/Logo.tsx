/** Logo is Aegis's shield; decorative, so hidden from screen readers. */
export function Logo({ className = "size-7" }: { className?: string }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 32 32" className={className}>
      <path fill="#4f46e5" d="M16 2 4 6.5v8.2c0 7.4 5.1 13.6 12 15.3 6.9-1.7 12-7.9 12-15.3V6.5L16 2z" />
    </svg>
  );
}
