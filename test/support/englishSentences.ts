/**
 * Lines of text output that read as English sentences: ASCII only, with three or more words
 * of letters (host names, paths, record values, options and versions are not words). The same
 * rule as the e2e test's walk over the wizard's DOM text, for the CLI and the text the wizard
 * writes to files.
 */
export function englishSentences(output: string): string[] {
  return output.split('\n').filter((line) => {
    const text = line.replace(/\s+/g, ' ').trim();
    if (text === '' || /[^ -~]/.test(text)) return false;
    return text.split(' ').filter((w) => /^[A-Za-z][a-z'-]+[.,:;!?]?$/.test(w)).length >= 3;
  });
}
