import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';

// JUnit XML checks for the tests: the XSD that Jenkins' tools use (test/fixtures/junit/README.md says where it comes
// from), run through libxml2's xmllint (WebAssembly), and a reader of the few elements the tests count.

const XSD = readFileSync(new URL('./fixtures/junit/JUnit.xsd', import.meta.url), 'utf8');

/** xmllint's messages for a document against the JUnit XSD: [] when it is well-formed and valid. */
export async function junitErrors(xml: string): Promise<string[]> {
  const r = await validateXML({ xml: [{ fileName: 'report.xml', contents: xml }], schema: [XSD] });
  return r.valid ? [] : r.errors.map((e) => e.rawMessage);
}

export interface JunitCase {
  classname: string;
  name: string;
  time: string;
  /** the failure or error element, if any, and its attributes and text */
  outcome?: { tag: 'failure' | 'error' | 'skipped'; type?: string; message?: string; text: string };
}

const unescape = (v: string) =>
  v.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-f]+|#\d+);/gi, (_, e: string) =>
    e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'amp' ? '&' : e === 'quot' ? '"' : e === 'apos' ? "'" : String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1))),
  );

/** An element's attributes as a regex group: quoted values may hold `>` and `/` (XML needs only `<` escaped there). */
const ATTRS = '((?:[^>"/]|"[^"]*")*)';

const attrs = (text: string) => new Map([...text.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1]!, unescape(m[2]!)]));


/**
 * The testsuite's attributes and every testcase, read from a document junitErrors() found valid (so CDATA ends at the
 * first `]]>` and no attribute holds a raw `<`): enough to count elements and compare values exactly.
 */
export function readJunit(xml: string): { suite: Map<string, string>; cases: JunitCase[]; properties: Map<string, string>; counts: Record<'testcase' | 'failure' | 'error' | 'skipped', number> } {
  // Each CDATA section becomes a NUL-delimited token (NUL cannot occur in XML), so its text never reads as markup.
  const sections: string[] = [];
  const outside = xml.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, text: string) => `\u0000${sections.push(text) - 1}\u0000`);
  const content = (inner: string) => inner.replace(/\u0000(\d+)\u0000|([^\u0000]+)/g, (_, i?: string, plain?: string) => (i !== undefined ? sections[Number(i)]! : unescape(plain!)));
  const count = (tag: string) => (outside.match(new RegExp(`<${tag}[\\s/>]`, 'g')) ?? []).length;
  const suite = attrs(new RegExp(`<testsuite\\s${ATTRS}>`).exec(outside)![1]!);
  const properties = new Map(
    [...outside.matchAll(new RegExp(`<property\\s${ATTRS}/>`, 'g'))].map((m) => {
      const a = attrs(m[1]!);
      return [a.get('name')!, a.get('value')!] as const;
    }),
  );
  const cases: JunitCase[] = [];
  for (const m of outside.matchAll(new RegExp(`<testcase\\s${ATTRS}(/>|>([\\s\\S]*?)</testcase>)`, 'g'))) {
    const a = attrs(m[1]!);
    const c: JunitCase = { classname: a.get('classname')!, name: a.get('name')!, time: a.get('time')! };
    const inner = m[3];
    const o = inner && new RegExp(`<(failure|error|skipped)\\s?${ATTRS}(/>|>([\\s\\S]*?)</\\1>)`).exec(inner);
    if (o) {
      const oa = attrs(o[2]!);
      c.outcome = { tag: o[1] as 'failure' | 'error' | 'skipped', type: oa.get('type'), message: oa.get('message'), text: content(o[4] ?? '') };
    }
    cases.push(c);
  }
  return { suite, cases, properties, counts: { testcase: count('testcase'), failure: count('failure'), error: count('error'), skipped: count('skipped') } };
}
