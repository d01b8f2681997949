/** A server-side script imported as its text (see scripts/shellScriptText.mjs). */
declare module '*.sh' {
  const text: string;
  export default text;
}
