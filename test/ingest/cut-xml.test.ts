import { describe, expect, it } from 'vitest';
import { closeCutXml } from '../../src/main/core/ingest/cut-xml';

describe('XML cut off mid-way', () => {
  it('closes the elements still open, in reverse order, keeping the text before the cut', () => {
    expect(closeCutXml('<doc><body><p>First.</p><p>Seco')).toBe('<doc><body><p>First.</p><p>Seco</p></body></doc>');
  });

  it('drops a tag, an entity or a comment the cut went through, and closes a CDATA section', () => {
    expect(closeCutXml('<a><b>one</b><c x="1')).toBe('<a><b>one</b></a>');
    expect(closeCutXml('<a>fish &am')).toBe('<a>fish </a>');
    expect(closeCutXml('<a>x<!-- a note')).toBe('<a>x</a>');
    expect(closeCutXml('<a><![CDATA[if (a < b')).toBe('<a><![CDATA[if (a < b]]></a>');
  });

  it('reads tags whose attribute values hold ">", empty elements and declarations', () => {
    expect(closeCutXml('<?xml version="1.0"?><a t="x > y"><br/><b>')).toBe(
      '<?xml version="1.0"?><a t="x > y"><br/><b></b></a>',
    );
  });

  it('leaves whole XML as it is', () => {
    const whole = '<?xml version="1.0"?><w:document><w:body><w:p/></w:body></w:document>';
    expect(closeCutXml(whole)).toBe(whole);
  });
});
