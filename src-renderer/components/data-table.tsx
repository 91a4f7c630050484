import type { ReactNode } from 'react';

export interface TableColumn<Row> {
  key: string;
  header: ReactNode;
  cell(row: Row): ReactNode;
  /** Extra class for the column's cells (e.g. `mono`). */
  className?: string;
}

export interface DataTableProps<Row> {
  /** What the table lists, announced as its caption. */
  caption: string;
  columns: readonly TableColumn<Row>[];
  rows: readonly Row[];
  rowKey(row: Row): string | number;
  testId?: string;
}

/** A plain semantic table (for short lists; the apps list is virtualised separately). */
export function DataTable<Row>({ caption, columns, rows, rowKey, testId }: DataTableProps<Row>) {
  return (
    <div className="table-wrap" data-testid={testId}>
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col">
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td key={c.key} className={c.className}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
