/** A unified diff with added, removed and hunk lines marked (added lines also for screen readers). */
export function Diff({ diff }: { diff: string }) {
  return (
    <pre className="diff">
      {diff.split('\n').map((line, index) => {
        const kind = line.startsWith('+') && !line.startsWith('+++') ? 'add' : line.startsWith('-') && !line.startsWith('---') ? 'del' : line.startsWith('@@') ? 'hunk' : '';
        return (
          <span key={index} className={kind}>
            {kind === 'add' ? <span className="sr-only">+</span> : null}
            {line}
            {'\n'}
          </span>
        );
      })}
    </pre>
  );
}
