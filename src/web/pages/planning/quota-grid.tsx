import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconUser, IconUsersGroup, IconMap2 } from '@tabler/icons-react';
import { useEffect, useMemo, useRef, useState, type ClipboardEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssigneeKind, QuotaLine } from '../../api/planning-queries';
import { useFormat } from '../../i18n/format';
import { currencyDigits, minorToInput, parseClipboardBlock, parseMinor } from './money-input';
import classes from './quota-grid.module.css';

export interface GridRow {
  key: string;
  kind: AssigneeKind;
  id: string;
  name: string;
  depth: number;
  parentKey: string | null;
  childKeys: string[];
}

export interface CellEdit {
  rowKey: string;
  period: string;
  minor: number;
}

export const cellKey = (rowKey: string, period: string) => `${rowKey}|${period}`;

/** The tree of FY lines as rows, depth-first: territories, teams, then reps, by name. */
export function buildRows(lines: readonly QuotaLine[], fyKey: string): GridRow[] {
  const fy = lines.filter((l) => l.period === fyKey);
  const keys = new Set(fy.map((l) => `${l.assigneeKind}:${l.assigneeId}`));
  const children = new Map<string | null, QuotaLine[]>();
  for (const line of fy) {
    // A parent the caller may not see (a manager's own team's parent) makes a top-level row.
    const parent = line.parentKey && keys.has(line.parentKey) ? line.parentKey : null;
    children.set(parent, [...(children.get(parent) ?? []), line]);
  }
  const rank: Record<AssigneeKind, number> = { territory: 0, team: 1, rep: 2 };
  const rows: GridRow[] = [];
  const walk = (parent: string | null, depth: number) => {
    const items = [...(children.get(parent) ?? [])].sort((a, b) => rank[a.assigneeKind] - rank[b.assigneeKind] || (a.assigneeName ?? '').localeCompare(b.assigneeName ?? ''));
    for (const line of items) {
      const key = `${line.assigneeKind}:${line.assigneeId}`;
      rows.push({
        key, kind: line.assigneeKind, id: line.assigneeId, name: line.assigneeName ?? line.assigneeId, depth, parentKey: parent,
        childKeys: (children.get(key) ?? []).map((c) => `${c.assigneeKind}:${c.assigneeId}`),
      });
      walk(key, depth + 1);
    }
  };
  walk(null, 0);
  return rows;
}

const KIND_ICON = { territory: IconMap2, team: IconUsersGroup, rep: IconUser } as const;

export interface QuotaGridProps {
  rows: GridRow[];
  /** Period columns in order; the last one is the year (the row total). */
  columns: string[];
  yearKey: string;
  columnLabel: (period: string) => string;
  values: ReadonlyMap<string, { minor: number; isOverridden: boolean }>;
  pending: ReadonlyMap<string, number>;
  currency: string;
  targetMinor: number | null;
  isEditable: (period: string) => boolean;
  onCommit: (edits: CellEdit[]) => void;
  onInvalid: (message: string) => void;
}

type Active = { row: number; col: number };

/** A spreadsheet-like grid: click or arrows to move, Enter/F2/typing to edit, Enter/Tab to commit, Escape to cancel, paste a block. */
export function QuotaGrid(props: QuotaGridProps) {
  const { rows, columns, yearKey, values, pending, currency } = props;
  const { t } = useTranslation();
  const format = useFormat();
  const digits = currencyDigits(currency);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [active, setActive] = useState<Active>({ row: 0, col: columns.length - 1 });
  const [editing, setEditing] = useState<string | null>(null);
  // Set while a key (Enter, Tab, Escape) closes the editor, so the blur that follows does not commit again.
  const closingRef = useRef(false);
  const wrapRef = useRef<HTMLDivElement>(null);

  const visible = useMemo(() => {
    const byKey = new Map(rows.map((r) => [r.key, r]));
    const hidden = (row: GridRow): boolean => {
      let parent = row.parentKey;
      while (parent) {
        if (collapsed.has(parent)) return true;
        parent = byKey.get(parent)?.parentKey ?? null;
      }
      return false;
    };
    return rows.filter((r) => !hidden(r));
  }, [rows, collapsed]);

  const valueOf = (rowKey: string, period: string): number => pending.get(cellKey(rowKey, period)) ?? values.get(cellKey(rowKey, period))?.minor ?? 0;
  // Totals add up the leaves (the reps who carry the quota); parents show their own gaps.
  const leaves = rows.filter((r) => r.childKeys.length === 0);
  const columnTotals = columns.map((period) => leaves.reduce((sum, r) => sum + valueOf(r.key, period), 0));
  const yearTotal = columnTotals[columns.length - 1] ?? 0;
  const targetGap = props.targetMinor === null ? null : yearTotal - props.targetMinor;

  const clamp = (next: Active): Active => ({ row: Math.max(0, Math.min(visible.length - 1, next.row)), col: Math.max(0, Math.min(columns.length - 1, next.col)) });
  const activeRow = visible[active.row];
  const activePeriod = columns[active.col];

  // Switching quarters ↔ months changes what a column index means: go back to the year.
  useEffect(() => {
    setActive((a) => ({ ...a, col: columns.length - 1 }));
  }, [columns.length]);

  useEffect(() => {
    if (active.row >= visible.length && visible.length > 0) setActive((a) => ({ ...a, row: visible.length - 1 }));
  }, [visible.length, active.row]);

  useEffect(() => {
    // Keep the active cell in view while the grid is used from the keyboard (not on first render).
    if (!wrapRef.current?.contains(document.activeElement)) return;
    wrapRef.current.querySelector(`.${classes.active}`)?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [active]);

  const canEditActive = activeRow !== undefined && activePeriod !== undefined && props.isEditable(activePeriod);

  const startEditing = (initial: string | null) => {
    if (!canEditActive || !activeRow || !activePeriod) return;
    closingRef.current = false;
    setEditing(initial ?? minorToInput(valueOf(activeRow.key, activePeriod), { digits, locale: format.locale }));
  };

  /** Saves the edited cell; `move` is where the active cell goes next (null: a blur, it stays where the click put it). */
  const commit = (text: string, move: Active | null) => {
    if (!activeRow || !activePeriod) return;
    const minor = parseMinor(text, { digits, locale: format.locale });
    if (minor === null) {
      props.onInvalid(t('planning.grid.invalidAmount', { value: text }));
      if (move === null) setEditing(null);
      return;
    }
    closingRef.current = true;
    setEditing(null);
    if (minor !== valueOf(activeRow.key, activePeriod)) props.onCommit([{ rowKey: activeRow.key, period: activePeriod, minor }]);
    if (move) {
      setActive(clamp(move));
      wrapRef.current?.focus();
    }
  };

  const cancel = () => {
    closingRef.current = true;
    setEditing(null);
    wrapRef.current?.focus();
  };

  const onGridKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (editing !== null) return;
    const moves: Record<string, Active> = {
      ArrowUp: { row: active.row - 1, col: active.col }, ArrowDown: { row: active.row + 1, col: active.col },
      ArrowLeft: { row: active.row, col: active.col - 1 }, ArrowRight: { row: active.row, col: active.col + 1 },
      Home: { row: active.row, col: 0 }, End: { row: active.row, col: columns.length - 1 },
    };
    if (event.key === 'Tab') {
      // Tab walks the row; at its ends focus leaves the grid as usual.
      const col = active.col + (event.shiftKey ? -1 : 1);
      if (col < 0 || col >= columns.length) return;
      event.preventDefault();
      setActive({ row: active.row, col });
      return;
    }
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      setActive(clamp(move));
      return;
    }
    if (event.key === 'Enter' || event.key === 'F2') {
      event.preventDefault();
      startEditing(null);
      return;
    }
    if (event.key.length === 1 && /[0-9.,]/.test(event.key) && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      startEditing(event.key);
    }
  };

  const onPaste = (event: ClipboardEvent<HTMLDivElement>) => {
    if (editing !== null) return;
    const block = parseClipboardBlock(event.clipboardData.getData('text/plain'));
    if (block.length === 0) return;
    event.preventDefault();
    const edits: CellEdit[] = [];
    for (const [r, cells] of block.entries()) {
      const row = visible[active.row + r];
      if (!row) break;
      for (const [c, text] of cells.entries()) {
        const period = columns[active.col + c];
        if (!period || text === '') continue;
        if (!props.isEditable(period)) {
          props.onInvalid(t('planning.grid.pasteReadOnly', { period: props.columnLabel(period) }));
          return;
        }
        const minor = parseMinor(text, { digits, locale: format.locale });
        if (minor === null) {
          props.onInvalid(t('planning.grid.pasteInvalid', { row: r + 1, column: c + 1, value: text }));
          return;
        }
        if (minor !== valueOf(row.key, period)) edits.push({ rowKey: row.key, period, minor });
      }
    }
    if (edits.length > 0) props.onCommit(edits);
  };

  const childrenGap = (row: GridRow, period: string): number =>
    row.childKeys.reduce((acc, key) => acc + valueOf(key, period), 0) - valueOf(row.key, period);
  /**
   * A parent's gap in a column. Quarters and months of each node are split from its own year, so
   * they may differ from the children's by rounding cents: shown only when the year has a gap too.
   */
  const gapOf = (row: GridRow, period: string): number | null => {
    if (row.childKeys.length === 0) return null;
    if (period !== yearKey && childrenGap(row, yearKey) === 0) return null;
    const sum = row.childKeys.reduce((acc, key) => acc + valueOf(key, period), 0);
    const gap = sum - valueOf(row.key, period);
    return gap === 0 ? null : gap;
  };

  return (
    <div
      ref={wrapRef}
      className={classes.wrap}
      tabIndex={0}
      role="grid"
      aria-label={t('planning.grid.label')}
      aria-rowcount={visible.length + 1}
      onKeyDown={onGridKey}
      onPaste={onPaste}
      data-testid="quota-grid"
    >
      <table className={classes.grid}>
        <thead>
          <tr>
            <th className={classes.nameHead} scope="col">{t('planning.grid.assignee')}</th>
            {columns.map((period) => (
              <th key={period} scope="col" className={period === yearKey ? classes.yearCell : undefined}>
                {props.columnLabel(period)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {visible.map((row, r) => {
            const Icon = KIND_ICON[row.kind];
            const isParent = row.childKeys.length > 0;
            return (
              <tr key={row.key} className={isParent ? classes.parentRow : undefined} data-testid={`row-${row.key}`}>
                <th scope="row" className={classes.nameCell} style={{ paddingLeft: 10 + row.depth * 18 }}>
                  <Group gap={6} wrap="nowrap">
                    {isParent ? (
                      <button
                        type="button"
                        className={classes.toggle}
                        aria-label={collapsed.has(row.key) ? t('planning.grid.expand') : t('planning.grid.collapse')}
                        onClick={() => setCollapsed((prev) => { const next = new Set(prev); if (next.has(row.key)) next.delete(row.key); else next.add(row.key); return next; })}
                      >
                        {collapsed.has(row.key) ? <IconChevronRight size={14} /> : <IconChevronDown size={14} />}
                      </button>
                    ) : (
                      <span style={{ width: 18, display: 'inline-block' }} />
                    )}
                    <Icon size={15} stroke={1.7} style={{ flex: 'none', opacity: 0.7 }} aria-label={t(`planning.kind.${row.kind}`)} />
                    <Text span size="sm" fw={isParent ? 600 : 400} truncate>{row.name}</Text>
                  </Group>
                </th>
                {columns.map((period, c) => {
                  const key = cellKey(row.key, period);
                  const isActive = r === active.row && c === active.col;
                  const stored = values.get(key);
                  const isPending = pending.has(key);
                  const editable = props.isEditable(period);
                  const gap = gapOf(row, period);
                  const cls = [
                    classes.cell, period === yearKey ? classes.yearCell : '', isActive ? classes.active : '', isPending ? classes.pending : '',
                    stored?.isOverridden ? classes.overridden : '', editable ? '' : classes.readOnly,
                  ].filter(Boolean).join(' ');
                  return (
                    <td
                      key={period}
                      className={cls}
                      role="gridcell"
                      aria-selected={isActive}
                      aria-readonly={!editable}
                      data-testid={`cell-${row.key}-${period}`}
                      data-value={valueOf(row.key, period)}
                      onMouseDown={() => { if (editing === null || !isActive) { setEditing(null); setActive({ row: r, col: c }); } }}
                      onDoubleClick={() => { if (editable) { closingRef.current = false; setEditing(minorToInput(valueOf(row.key, period), { digits, locale: format.locale })); } }}
                      title={stored?.isOverridden ? t('planning.grid.overridden') : undefined}
                    >
                      {isActive && editing !== null ? (
                        <input
                          className={classes.editor}
                          autoFocus
                          aria-label={t('planning.grid.editCell', { name: row.name, period: props.columnLabel(period) })}
                          value={editing}
                          inputMode="decimal"
                          data-testid="cell-editor"
                          onChange={(e) => setEditing(e.currentTarget.value)}
                          onBlur={(e) => { if (!closingRef.current) commit(e.currentTarget.value, null); }}
                          onKeyDown={(e) => {
                            if (e.key === 'Enter') { e.preventDefault(); e.stopPropagation(); commit(e.currentTarget.value, { row: active.row + (e.shiftKey ? -1 : 1), col: active.col }); }
                            else if (e.key === 'Tab') { e.preventDefault(); e.stopPropagation(); commit(e.currentTarget.value, { row: active.row, col: active.col + (e.shiftKey ? -1 : 1) }); }
                            else if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); cancel(); }
                          }}
                        />
                      ) : (
                        <>
                          {format.money(valueOf(row.key, period), currency)}
                          {gap !== null && (
                            <Tooltip label={t('planning.grid.childrenGap', { sum: format.money(valueOf(row.key, period) + gap, currency) })} withArrow>
                              <span className={classes.gapLine} style={{ color: gap > 0 ? 'var(--mantine-color-orange-6)' : 'var(--mantine-color-red-6)' }} data-testid={`gap-${row.key}-${period}`}>
                                {gap > 0 ? '+' : '−'}{format.money(Math.abs(gap), currency)}
                              </span>
                            </Tooltip>
                          )}
                        </>
                      )}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr data-testid="row-total">
            <td className={classes.nameCell}>{t('planning.grid.total')}</td>
            {columns.map((period, c) => (
              <td key={period} className={period === yearKey ? classes.yearCell : undefined} data-testid={`total-${period}`} data-value={columnTotals[c]}>
                {format.money(columnTotals[c] ?? 0, currency)}
              </td>
            ))}
          </tr>
          {props.targetMinor !== null && targetGap !== null && (
            <tr data-testid="row-gap">
              <td className={classes.nameCell}>{t('planning.grid.gapToTarget')}</td>
              {columns.map((period) => (
                <td key={period} className={period === yearKey ? classes.yearCell : undefined}>
                  {period === yearKey ? (
                    <Badge variant="light" color={targetGap === 0 ? 'teal' : targetGap > 0 ? 'orange' : 'red'} data-testid="grid-target-gap" data-value={targetGap}>
                      {targetGap > 0 ? '+' : targetGap < 0 ? '−' : ''}{format.money(Math.abs(targetGap), currency)}
                    </Badge>
                  ) : null}
                </td>
              ))}
            </tr>
          )}
        </tfoot>
      </table>
    </div>
  );
}
