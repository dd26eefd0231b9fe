"""Which responses are web pages worth extracting, judged by their Content-Type (and, with none,
by how the body begins), and how to name those that are not."""

import re

WEB_PAGE_TYPES = {"text/html", "application/xhtml+xml"}
# Named as a reader would say it; any other type is named as sent.
_NAMED_TYPES = {"application/pdf": "a PDF"}
_NAMED_FAMILIES = {"video": "a video", "image": "an image", "audio": "a sound file"}
# WHATWG MIME sniffing's HTML signatures: what an untyped body begins with, after whitespace.
_HTML_START = re.compile(
    rb"\s*(<!doctype html|<html|<head|<script|<iframe|<h1|<div|<font|<table|<a|<style|<title"
    rb"|<b|<body|<br|<p|<!--)[\s>]",
    re.IGNORECASE,
)
_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*")
_SHOWN_TYPE_CHARS = 60


def media_type(content_type: str) -> str:
    """`text/html; charset=utf-8` → `text/html`."""
    return content_type.split(";", 1)[0].strip().lower()


def may_be_web_page(content_type: str) -> bool:
    """Worth downloading: an HTML type, or none at all (then the body decides)."""
    return not content_type.strip() or media_type(content_type) in WEB_PAGE_TYPES


def looks_like_html(body: bytes) -> bool:
    return _HTML_START.match(body.removeprefix(b"\xef\xbb\xbf")) is not None


def not_a_page_reason(content_type: str) -> str:
    """Why the feed's text is used: "the link is a PDF, not a web page"."""
    if not media_type(content_type):
        return "the link sent no Content-Type and does not look like a web page"
    return f"the link is {_named(media_type(content_type))}, not a web page"


def _named(kind: str) -> str:
    if kind in _NAMED_TYPES:
        return _NAMED_TYPES[kind]
    if (family := kind.split("/", 1)[0]) in _NAMED_FAMILIES:
        return _NAMED_FAMILIES[family]
    # The server wrote it: shown only if it is a plain type/subtype of reasonable length.
    if _MEDIA_TYPE.fullmatch(kind) and len(kind) <= _SHOWN_TYPE_CHARS:
        return f'"{kind}"'
    return "of an unknown type"
