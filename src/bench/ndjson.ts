/** Streams an NDJSON answer (the emulators' records export) one parsed line at a time. */
export async function* ndjson(url: string): AsyncGenerator<any> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`the sandbox export ${url} answered ${response.status}`);
  const decoder = new TextDecoder();
  let rest = '';
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    rest += decoder.decode(value, { stream: true });
    let newline: number;
    while ((newline = rest.indexOf('\n')) >= 0) {
      const line = rest.slice(0, newline);
      rest = rest.slice(newline + 1);
      if (line) yield JSON.parse(line);
    }
  }
  if (rest.trim()) yield JSON.parse(rest);
}
