/** A CRM's mark: its initial on its brand colour (no third-party logos shipped). */
export function PlatformMark({ name, color, size = 40 }: { name: string; color: string; size?: number }) {
  return (
    <span className="pcrm-mark" aria-hidden="true" style={{ background: color, width: size, height: size, fontSize: size * 0.45 }}>
      {name.charAt(0)}
    </span>
  );
}
