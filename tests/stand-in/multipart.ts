/** The parts of a multipart/related body (an upload's metadata, then its media), without their headers. */
export function multipartParts(body: Buffer, contentType = ""): Buffer[] {
  const text = body.toString("latin1");
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1] ?? /^--([^\r\n]+)/.exec(text)?.[1];
  if (!boundary) return [];
  return text
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => {
      const start = part.indexOf("\r\n\r\n");
      return Buffer.from(part.slice(start + 4, part.length - 2), "latin1");
    });
}
