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
