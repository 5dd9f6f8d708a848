import type { ReactNode } from "react";

/** Column is one column of a StackedTable. */
export type Column<T> = {
  header: string;
  cell: (row: T) => ReactNode;
  /** primary is the card's title on narrow screens, shown without its
   * header. */
  primary?: boolean;
  /** hideHeader keeps the header for screen readers only (an actions
   * column). */
  hideHeader?: boolean;
  className?: string;
  /** emptyFor tells which rows have nothing in this column, so that their
   * cards leave it out. */
  emptyFor?: (row: T) => boolean;
};

/**
 * StackedTable is a table on wide screens and a stack of cards on narrow
 * ones, where each cell shows its column's name. The explicit roles keep
 * the table's meaning for screen readers when CSS changes its display.
 */
export function StackedTable<T>({
  caption,
  columns,
  rows,
  rowKey,
}: {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
}) {
  return (
    <div className="relative md:overflow-x-auto md:rounded-lg md:border md:border-slate-200 md:bg-white">
      <table role="table" className="block w-full text-left text-sm md:table">
        <caption className="sr-only">{caption}</caption>
        <thead role="rowgroup" className="hidden bg-slate-50 md:table-header-group">
          <tr role="row">
            {columns.map((column) => (
              <th
                key={column.header}
                role="columnheader"
                scope="col"
                className="px-4 py-2 text-xs font-semibold tracking-wide whitespace-nowrap text-slate-600 uppercase"
              >
                {column.hideHeader ? <span className="sr-only">{column.header}</span> : column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody role="rowgroup" className="flex flex-col gap-3 md:table-row-group">
          {rows.map((row) => (
            <tr
              key={rowKey(row)}
              role="row"
              className="block rounded-lg border border-slate-200 bg-white p-4 md:table-row md:rounded-none md:border-0 md:border-t md:p-0"
            >
              {columns.map((column) => (
                <td
                  key={column.header}
                  role="cell"
                  className={
                    (column.emptyFor?.(row) ? "hidden " : "flex ") +
                    "gap-3 py-1 align-top md:table-cell md:px-4 md:py-3 " +
                    (column.primary ? "pb-2 text-base md:text-sm " : "") +
                    (column.className ?? "")
                  }
                >
                  {!column.primary && !column.hideHeader && (
                    <span className="w-28 shrink-0 text-slate-500 md:hidden">{column.header}</span>
                  )}
                  <div className="min-w-0 break-words">{column.cell(row)}</div>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
