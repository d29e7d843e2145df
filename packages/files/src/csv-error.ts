// Import errors of user files: every problem names the file, the 1-based line, the column (header name, '' when
// the problem is the whole row or file) and the reason. Readers collect all problems (up to MAX_ISSUES) and
// throw one error, so nothing is half-imported.

export interface CsvIssue {
  file: string;
  /** 1-based line in the file (the header is line 1); 0 when the problem concerns the whole file. */
  line: number;
  column: string;
  reason: string;
}

export const MAX_ISSUES = 50;

export class CsvImportError extends Error {
  override name = 'CsvImportError';
  readonly code = 'csv_invalid';
  constructor(readonly issues: CsvIssue[], readonly truncated = false) {
    super(formatIssues(issues, truncated));
  }
}

export function formatIssue(i: CsvIssue): string {
  const where = i.line > 0 ? `${i.file}:${i.line}` : i.file;
  return `${where}${i.column ? ` column "${i.column}"` : ''}: ${i.reason}`;
}

function formatIssues(issues: CsvIssue[], truncated: boolean): string {
  const file = issues[0]?.file ?? 'file';
  const head = `${file}: ${issues.length}${truncated ? '+' : ''} problem${issues.length === 1 && !truncated ? '' : 's'}, nothing imported`;
  return [head, ...issues.map((i) => `  ${formatIssue(i)}`), ...(truncated ? [`  … more problems not shown (first ${MAX_ISSUES})`] : [])].join('\n');
}

/** Collects issues of one file up to MAX_ISSUES; `throwIfAny` ends an import that found problems. */
export class IssueList {
  readonly issues: CsvIssue[] = [];
  truncated = false;
  constructor(readonly file: string) {}

  add(line: number, column: string, reason: string): void {
    if (this.issues.length >= MAX_ISSUES) {
      this.truncated = true;
      return;
    }
    this.issues.push({ file: this.file, line, column, reason });
  }

  throwIfAny(): void {
    if (this.issues.length > 0) throw new CsvImportError(this.issues, this.truncated);
  }
}
