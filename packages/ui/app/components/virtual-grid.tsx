// biome-ignore-all lint/a11y/useSemanticElements: a virtualized grid cannot be a <table> (rows are absolutely positioned); ARIA grid roles say what it is.
// biome-ignore-all lint/a11y/useFocusableInteractive: the grid is the one focusable element and points at its active row with aria-activedescendant (WAI-ARIA grid pattern).
// biome-ignore-all lint/a11y/useKeyWithClickEvents: row clicks only move the active row; the keyboard does the same through the grid's onKeyDown.
/**
 * A virtualized, keyboard-navigable grid: only the rows in view (plus a few) are in the DOM, so
 * 10,000 rows scroll as fast as 10. Arrow keys, Page Up/Down, Home/End move the active row,
 * Enter opens it, Space toggles its selection; the grid asks for more rows near the end.
 */
import { type KeyboardEvent, type ReactNode, useEffect, useRef, useState } from "react";

/** One column of a {@link VirtualGrid}. */
export interface GridColumn<T> {
  /** Stable key. */
  key: string;
  /** Header content. */
  header: ReactNode;
  /** Fixed CSS width, e.g. `8rem` (every row is its own grid, so tracks must not depend on content). */
  width: string;
  /** Cell content. */
  cell: (row: T, index: number) => ReactNode;
  /** `aria-sort` of the header. */
  sort?: "ascending" | "descending" | "none";
}

/** Props of {@link VirtualGrid}. */
export interface VirtualGridProps<T> {
  /** Accessible name. */
  label: string;
  rows: readonly T[];
  columns: readonly GridColumn<T>[];
  rowKey: (row: T) => string;
  /** Enter on a row. */
  onOpen: (row: T) => void;
  /** Space on a row. */
  onToggle?: (row: T) => void;
  /** Selected row keys. */
  selected?: ReadonlySet<string>;
  /** Called when the view nears the last row (load the next page). */
  onNearEnd?: () => void;
  /** Row height in px (default 34). */
  rowHeight?: number;
  /** Viewport height in px (default 520). */
  height?: number;
}

/** Extra rows rendered above and below the viewport. */
const OVERSCAN = 8;

/** The grid. */
export function VirtualGrid<T>(props: VirtualGridProps<T>) {
  const { rows, columns, rowKey, rowHeight = 34, height = 520 } = props;
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [active, setActive] = useState(0);
  const template = columns.map((c) => c.width).join(" ");
  const bodyHeight = height - rowHeight;
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + bodyHeight) / rowHeight) + OVERSCAN);
  const nearEnd = props.onNearEnd;

  useEffect(() => {
    if (nearEnd && rows.length > 0 && last >= rows.length - OVERSCAN) nearEnd();
  }, [last, rows.length, nearEnd]);

  useEffect(() => {
    if (active >= rows.length && rows.length > 0) setActive(rows.length - 1);
  }, [rows.length, active]);

  const moveTo = (i: number) => {
    const next = Math.max(0, Math.min(rows.length - 1, i));
    setActive(next);
    const el = viewport.current;
    if (!el) return;
    const top = next * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + bodyHeight) el.scrollTop = top + rowHeight - bodyHeight;
  };

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor(bodyHeight / rowHeight) - 1);
    const row = rows[active];
    const moves: Record<string, number> = {
      ArrowDown: active + 1,
      ArrowUp: active - 1,
      PageDown: active + page,
      PageUp: active - page,
      Home: 0,
      End: rows.length - 1,
    };
    if (e.key in moves) moveTo(moves[e.key]!);
    else if (e.key === "Enter" && row) props.onOpen(row);
    else if (e.key === " " && row && props.onToggle) props.onToggle(row);
    else return;
    e.preventDefault();
  };

  const activeId = rows[active] ? `row-${rowKey(rows[active]!)}` : undefined;
  return (
    <div
      ref={viewport}
      className="grid"
      role="grid"
      aria-label={props.label}
      aria-rowcount={rows.length + 1}
      aria-multiselectable={props.onToggle ? true : undefined}
      aria-activedescendant={activeId}
      tabIndex={0}
      onKeyDown={onKey}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      style={{ height }}
    >
      <div
        className="grid-row grid-head"
        role="row"
        aria-rowindex={1}
        style={{ gridTemplateColumns: template, height: rowHeight }}
      >
        {columns.map((c) => (
          <div key={c.key} role="columnheader" aria-sort={c.sort} className="grid-cell">
            {c.header}
          </div>
        ))}
      </div>
      <div className="grid-body" style={{ height: rows.length * rowHeight }}>
        {rows.slice(first, last).map((row, k) => {
          const i = first + k;
          const key = rowKey(row);
          const selected = props.selected?.has(key) ?? false;
          return (
            <div
              key={key}
              id={`row-${key}`}
              role="row"
              aria-rowindex={i + 2}
              aria-selected={props.onToggle ? selected : undefined}
              className={`grid-row${i === active ? " active" : ""}${selected ? " selected" : ""}`}
              style={{
                gridTemplateColumns: template,
                height: rowHeight,
                transform: `translateY(${i * rowHeight}px)`,
              }}
              onClick={() => setActive(i)}
            >
              {columns.map((c) => (
                <div key={c.key} role="gridcell" className="grid-cell">
                  {c.cell(row, i)}
                </div>
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
}
