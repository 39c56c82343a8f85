/** `Hackernews Agent` → `hackernews-agent`: the URL-safe ids Agno derives from names. */
export function urlSafeId(name: string): string {
  const id = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!id) throw new Error(`Cannot derive an id from the name ${JSON.stringify(name)}: use letters or digits.`);
  return id;
}
