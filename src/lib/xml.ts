import { XMLParser } from 'fast-xml-parser';

export type XmlNode = Record<string, unknown>;

/**
 * The XML parser every arXiv reader uses: attributes as `@_name`, namespaces dropped, and every
 * value kept as text (ids such as 1111.2011 must never become numbers). `arrayTags` are always
 * arrays, even when a document has one of them.
 */
export function createXmlParser(arrayTags: string[]): XMLParser {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    isArray: (name) => arrayTags.includes(name),
  });
}

/**
 * The text of a parsed XML value: a string as it is, a number or boolean as text, an element by
 * its `#text`. An element with attributes or children but no text gives `ifNoText`.
 *
 * @example
 * xmlText({ '#text': 'Attention', '@_lang': 'en' }) // 'Attention'
 * xmlText({ '@_code': 'noRecordsMatch' }, '')      // ''
 */
export function xmlText(v: unknown, ifNoText: string | null = null): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object') return '#text' in v ? xmlText((v as XmlNode)['#text'], ifNoText) : ifNoText;
  return null;
}
