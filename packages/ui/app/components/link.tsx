/** An anchor that navigates without reloading (a normal link for new tabs and modified clicks). */
import type { AnchorHTMLAttributes, MouseEvent } from "react";
import { navigate } from "../router";

/** Props of {@link Link}. */
export type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string };

/** In-app link. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const click = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={click} {...rest} />;
}
