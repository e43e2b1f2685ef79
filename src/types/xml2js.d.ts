/**
 * The part of xml2js (0.6) Pulse uses. The package ships no types; @types/xml2js would replace this.
 * With `async` false (the default) the callback runs before parseString returns.
 */
declare module 'xml2js' {
  export interface ParserOptions {
    explicitArray?: boolean;
    explicitRoot?: boolean;
    tagNameProcessors?: ((name: string) => string)[];
    attrNameProcessors?: ((name: string) => string)[];
    strict?: boolean;
  }
  export function parseString(xml: string, options: ParserOptions, callback: (error: Error | null, result: unknown) => void): void;
  export const processors: { stripPrefix(name: string): string };
}
