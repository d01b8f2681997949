// The Japanese catalog reads as one person wrote it: one spelling per term and one colon style
// (an ASCII colon and a space after Japanese text, never the full-width one).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

type Tree = { [key: string]: string | Tree };
const ja = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../../renderer/src/locales/ja.json'), 'utf8')) as Tree;

function leaves(tree: Tree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) => (typeof value === 'string' ? [[`${prefix}${key}`, value] as [string, string]] : leaves(value, `${prefix}${key}.`)));
}

describe('Japanese catalog style', () => {
  const texts = leaves(ja);

  it('spells セレクター one way', () => {
    expect(texts.filter(([, v]) => /セレクタ(?!ー)/.test(v)).map(([k]) => k)).toEqual([]);
  });

  it('uses one colon style: ": " after Japanese text, no full-width colon', () => {
    expect(texts.filter(([, v]) => v.includes('：')).map(([k]) => k)).toEqual([]);
    // "ユーザー@ホスト:ポート" and "アドレス:ポート" are address forms, not punctuation.
    expect(texts.filter(([, v]) => /[^\p{ASCII}]:(?=\S)/u.test(v.replace('ホスト:ポート', '').replace('アドレス:ポート', ''))).map(([k]) => k)).toEqual([]);
  });

  it('uses one parenthesis style (ASCII, as most of the catalog) and one name for the server\'s address', () => {
    expect(texts.filter(([, v]) => /[（）]/.test(v)).map(([k]) => k)).toEqual([]);
    // The field is labelled "サーバーのグローバル IP アドレス": hints and checks name it the same way.
    expect(texts.filter(([, v]) => /公開アドレス|グローバル ?アドレス/.test(v)).map(([k]) => k)).toEqual([]);
  });

  it('uses the wording of the issue\'s table', () => {
    const all = texts.map(([, v]) => v).join('\n');
    for (const old of ['所要時間は約 15 分と', 'どのサーバーですか', '身元を示しています', '受信メールを保留します', '同じ値を {{count}} 個の引用符付き文字列', '受信したメールを解説']) expect(all).not.toContain(old);
  });
});
