import { describe, expect, it } from 'vitest';
import { parseContent } from '../../src/main/core/ingest';
import { ParseFailure } from '../../src/main/core/ingest/parse-failure';
import { mimeTypesForTypeName } from '../../src/main/core/search/type-names';
import { parseFile } from './helpers/parse-file';

const parse = (text: string) => parseFile(text, 'diagram.svg');

async function failure(text: string): Promise<ParseFailure> {
  const error = await parse(text).then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ParseFailure)) throw new Error(`expected a ParseFailure, got ${String(error)}`);
  return error;
}

describe('SVG drawings', () => {
  it('read as the words they show, titled by their own title, without styles, scripts or unused templates', async () => {
    const parsed = await parse(`<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200">
  <title>Order pipeline</title>
  <desc>How an order moves from the shop to the warehouse.</desc>
  <style>.label { font: 12px sans-serif; }</style>
  <script>document.title = 'scripted';</script>
  <defs><text id="template">Unused template</text></defs>
  <rect x="10" y="10" width="100" height="40"/>
  <text x="20" y="35" class="label">Checkout <tspan font-weight="bold">service</tspan></text>
</svg>`);
    expect(parsed.title).toBe('Order pipeline');
    expect(parsed.text).toBe('How an order moves from the shop to the warehouse.\nCheckout service');
  });

  it("Inkscape: each line of a text block apart, and the title from the drawing's metadata", async () => {
    const parsed = await parse(`<svg xmlns="http://www.w3.org/2000/svg"
     xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:cc="http://creativecommons.org/ns#"
     xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <metadata><rdf:RDF><cc:Work rdf:about="">
    <dc:creator><cc:Agent><dc:title>Someone</dc:title></cc:Agent></dc:creator>
    <dc:title>Floor plan, level 2</dc:title></cc:Work></rdf:RDF></metadata>
  <g id="layer1">
    <text x="10" y="20"><tspan sodipodi:role="line" x="10" y="20">Meeting room</tspan><tspan sodipodi:role="line" x="10" y="35">seats twelve</tspan></text>
  </g>
</svg>`);
    expect(parsed.title).toBe('Floor plan, level 2');
    expect(parsed.text).toBe('Meeting room\nseats twelve');
  });

  it("draw.io: HTML labels read once, not again from their plain copies for viewers that can't show HTML", async () => {
    const parsed = await parse(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
  <g><rect width="120" height="60"/>
    <g><switch>
      <foreignObject requiredFeatures="http://www.w3.org/TR/SVG11/feature#Extensibility" width="100%" height="100%">
        <div xmlns="http://www.w3.org/1999/xhtml"><div><div>Invoice <b>approval</b><br/>by finance</div></div></div>
      </foreignObject>
      <text x="60" y="34">Invoice approval by fi...</text>
    </switch></g>
  </g>
  <switch><g requiredFeatures="http://www.w3.org/TR/SVG11/feature#Extensibility"/>
    <a transform="translate(0,-5)" xlink:href="https://www.drawio.com/doc/faq/svg-export-text-problems" target="_blank">
      <text text-anchor="middle" x="50%" y="100%">Text is not SVG - cannot display</text></a>
  </switch>
</svg>`);
    expect(parsed.text).toBe('Invoice approval\nby finance');
  });

  it('Graphviz: the names it gives nodes and edges as their <title> are not read, the labels are', async () => {
    const parsed = await parse(`<svg xmlns="http://www.w3.org/2000/svg">
<g id="graph0" class="graph"><title>%3</title>
<g id="node1" class="node"><title>table0</title><polygon points="0,0 1,1"/><text x="1" y="1">Cons</text></g>
<g id="edge1" class="edge"><title>table0:c&#45;&gt;table1:pte0</title><path d="M0,0"/></g>
<g id="node2" class="node"><title>table1</title><text x="1" y="1">Nil</text></g>
</g></svg>`);
    expect(parsed.title).toBeUndefined();
    expect(parsed.text).toBe('Cons\nNil');
  });

  it('Illustrator: namespace names declared as entities in the DOCTYPE are honoured', async () => {
    const parsed = await parse(`<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [
	<!ENTITY ns_svg "http://www.w3.org/2000/svg">
	<!ENTITY ns_xlink "http://www.w3.org/1999/xlink">
]>
<svg version="1.1" xmlns="&ns_svg;" xmlns:xlink="&ns_xlink;"><text x="0" y="0">Quarterly revenue</text></svg>`);
    expect(parsed.text).toBe('Quarterly revenue');
  });

  it('an entity defined by other entities is not expanded: a "billion laughs" drawing fails as corrupt, quickly', async () => {
    const lol = Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('\n');
    const started = performance.now();
    const error = await failure(`<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY l0 "lol">
${lol}]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&l9;</text></svg>`);
    expect(error.reason).toBe('corrupt');
    expect(error.message).toMatch(/SVG drawing/);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('an icon with no text is skipped with a reason that says so', async () => {
    const error = await failure(
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><path d="M4 6l4 4 4-4"/></svg>',
    );
    expect(error.reason).toBe('empty');
    expect(error.message).toMatch(/holds no text/);
  });

  it('malformed or too deeply nested drawings fail alone, with the reason', async () => {
    expect((await failure('<svg xmlns="http://www.w3.org/2000/svg"><text>Cut short')).reason).toBe('corrupt');
    const deep = `<svg xmlns="http://www.w3.org/2000/svg">${'<g>'.repeat(300)}<text>deep</text>${'</g>'.repeat(300)}</svg>`;
    const error = await failure(deep);
    expect(error.reason).toBe('exceeds_limits');
    expect(error.message).toMatch(/nests its parts more than 256 levels/);
  });

  it('is found by its MIME type (a Drive file), and by type:svg, type:drawing and type:diagram', async () => {
    const parsed = await parseContent({
      kind: 'bytes',
      bytes: new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><text>Org chart</text></svg>'),
      mimeType: 'image/svg+xml',
      fileName: 'Org chart',
    });
    expect(parsed.text).toBe('Org chart');
    for (const name of ['svg', 'drawing', 'diagram']) expect(mimeTypesForTypeName(name)).toEqual(['image/svg+xml']);
  });
});
