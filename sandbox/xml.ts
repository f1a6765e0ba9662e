// A small XML writer for EC2 Query responses: objects become elements in key order, arrays become
// `<item>` lists (EC2's list encoding), undefined is left out.

export type XmlValue = string | number | boolean | Date | undefined | XmlValue[] | XmlObject;
export interface XmlObject {
  [element: string]: XmlValue;
}

/** A carriage return is a character reference: a raw one would be folded into the line feed after it by any XML reader. */
function escapeXml(text: string): string {
  return text.replace(/[<>&'"\r]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;', '\r': '&#13;' })[c]!);
}

function render(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) {
    return value.length === 0 ? `<${name}/>` : `<${name}>${value.map((item) => render('item', item)).join('')}</${name}>`;
  }
  if (value instanceof Date) return `<${name}>${value.toISOString()}</${name}>`;
  if (typeof value === 'object') {
    const inner = Object.entries(value).map(([key, child]) => render(key, child)).join('');
    return inner ? `<${name}>${inner}</${name}>` : `<${name}/>`;
  }
  const text = escapeXml(String(value));
  return text ? `<${name}>${text}</${name}>` : `<${name}/>`;
}

const EC2_NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';

/** `<ActionResponse xmlns=…><requestId>…</requestId>…</ActionResponse>` */
export function ec2Response(action: string, requestId: string, body: XmlObject): string {
  const inner = render(`${action}Response`, { requestId, ...body });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${inner.replace(`<${action}Response>`, `<${action}Response xmlns="${EC2_NAMESPACE}">`)}`;
}

export function ec2ErrorResponse(code: string, message: string, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
}
