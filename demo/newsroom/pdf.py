"""A research report's PDF: one A4 page built by hand (PDF 1.4, no library needed).

Feeds sometimes link a paper or report rather than a web page; an article reader must notice
that the link is not HTML.
"""

import textwrap

from demo.newsroom.catalogue import Story
from demo.newsroom.outlets import OUTLETS_BY_SLUG

MEDIA_TYPE = "application/pdf"
_PAGE_WIDTH, _PAGE_HEIGHT, _MARGIN = 595, 842, 56


def story_pdf(story: Story) -> bytes:
    """The report's title page: outlet, title, standfirst and byline."""
    outlet = OUTLETS_BY_SLUG[story.outlet]
    lines = [
        (10, f"{outlet.name}: research report"),
        *((18, line) for line in textwrap.wrap(story.title, 48)),
        *((11, line) for line in textwrap.wrap(story.dek, 85)),
        (10, f"By {story.author}, {story.published:%d %B %Y}"),
    ]
    return one_page_pdf(lines)


def one_page_pdf(lines: list[tuple[int, str]]) -> bytes:
    """A valid one-page PDF showing each (font size, text) line, top to bottom."""
    content = _text_stream(lines)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>" % (_PAGE_WIDTH, _PAGE_HEIGHT),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    document = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(document))
        document += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(document)
    document += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    document += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    document += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    document += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(document)


def _text_stream(lines: list[tuple[int, str]]) -> bytes:
    commands = [b"BT"]
    y = _PAGE_HEIGHT - _MARGIN
    for size, text in lines:
        y -= round(size * 1.5)
        commands.append(b"/F1 %d Tf 1 0 0 1 %d %d Tm (%s) Tj" % (size, _MARGIN, y, _literal(text)))
    commands.append(b"ET")
    return b"\n".join(commands)


def _literal(text: str) -> bytes:
    """A PDF string literal's inside, in WinAnsiEncoding (cp1252), special characters escaped."""
    plain = text.encode("cp1252", errors="replace")
    return plain.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
